import DicomCore

/// What happens to one element. The Basic Profile's codes (D, Z, X, K, C, U and their combinations) resolve to
/// these once the options, the VR and the user's overrides are known.
public enum ElementAction: String, Sendable, Hashable, CaseIterable {
    /// K: kept as it is (sequences: kept, their items still de-identified).
    case keep
    /// X: removed.
    case remove
    /// Z: emptied (zero length; sequences lose their items).
    case empty
    /// D: replaced by a dummy value of the same VR (sequences: kept, their free text replaced).
    case dummy
    /// C: cleaned: free text keeps its words minus the object's identifying values; dates are shifted.
    case clean
    /// U: replaced by the keyed UID.
    case uid
    /// Patient ID, Patient's Name and Accession Number: replaced by a keyed pseudonym.
    case pseudonym
    /// Retain Longitudinal Temporal Information with Modified Dates: moved back by the patient's keyed shift.
    case shiftDate = "shift-date"
}

/// A user's override for one attribute, from the profile file: a public tag, or a private one by creator.
public struct AttributeSelector: Hashable, Sendable {
    public let tag: Tag
    /// For private attributes, the block's creator; the tag's block byte is then ignored ((gggg,xxee)).
    public let creator: String?

    public init(tag: Tag, creator: String? = nil) {
        self.tag = creator == nil ? tag : Tag(tag.group, tag.element & 0x00FF)
        self.creator = creator
    }
}
