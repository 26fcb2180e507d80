/// One element found by a walk through an object: where it is, what it is, and its text value if it has one.
public struct Element: Hashable, Sendable {
    public let path: ElementPath
    /// Two-letter value representation as DCMTK holds it ("UN" for unknown private elements).
    public let vr: String
    /// Value length in bytes; nil for an undefined length.
    public let length: UInt32?
    /// Number of items, for sequences.
    public let itemCount: Int
    /// True for elements of the file meta information (group 0002).
    public let inMetaInformation: Bool
    /// True for pixel data held as encapsulated (compressed) fragments.
    public let isEncapsulated: Bool
    /// The value as text for string and numeric VRs (values joined by "\"); nil for binary VRs and sequences.
    public let text: String?

    public init(
        path: ElementPath, vr: String, length: UInt32?, itemCount: Int, inMetaInformation: Bool, isEncapsulated: Bool,
        text: String?
    ) {
        (self.path, self.vr, self.length, self.itemCount) = (path, vr, length, itemCount)
        (self.inMetaInformation, self.isEncapsulated, self.text) = (inMetaInformation, isEncapsulated, text)
    }

    public var tag: Tag { path.tag }
    public var depth: Int { path.depth }
    public var isSequence: Bool { vr == "SQ" }
    /// The individual values of a multi-valued text element.
    public var values: [String] {
        guard let text else { return [] }
        return text.split(separator: "\\", omittingEmptySubsequences: false).map(String.init)
    }
}
