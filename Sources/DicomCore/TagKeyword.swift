import CDcmtkShim

extension Tag {
    /// The tag of a data dictionary keyword ("StudyDescription", "Modality"), or of "(gggg,eeee)"; nil when
    /// neither.
    public init?(keyword: String) {
        if let tag = Tag(keyword) {
            self = tag
            return
        }
        DicomLibrary.initialize()
        var group: UInt16 = 0, element: UInt16 = 0
        guard dsh_tag_for_keyword(keyword, &group, &element) == 1 else { return nil }
        self.init(group, element)
    }
}
