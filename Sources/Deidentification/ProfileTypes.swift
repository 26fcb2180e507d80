import DicomCore

/// The options of the Basic Application Level Confidentiality Profile (PS3.15 E.3), with the codes of the
/// De-identification Method Code Sequence (CID 7050) that record them.
public enum ProfileOption: String, CaseIterable, Sendable, Hashable, Comparable {
    case cleanPixelData = "clean-pixel-data"
    case cleanGraphics = "clean-graphics"
    case cleanStructuredContent = "clean-structured-content"
    case cleanDescriptors = "clean-descriptors"
    case retainLongitudinalFullDates = "retain-full-dates"
    case retainLongitudinalModifiedDates = "retain-modified-dates"
    case retainPatientCharacteristics = "retain-patient-characteristics"
    case retainDeviceIdentity = "retain-device-identity"
    case retainUIDs = "retain-uids"
    case retainSafePrivate = "retain-safe-private"
    case retainInstitutionIdentity = "retain-institution-identity"

    public var codeValue: String {
        switch self {
        case .cleanPixelData: "113101"
        case .cleanGraphics: "113103"
        case .cleanStructuredContent: "113104"
        case .cleanDescriptors: "113105"
        case .retainLongitudinalFullDates: "113106"
        case .retainLongitudinalModifiedDates: "113107"
        case .retainPatientCharacteristics: "113108"
        case .retainDeviceIdentity: "113109"
        case .retainUIDs: "113110"
        case .retainSafePrivate: "113111"
        case .retainInstitutionIdentity: "113112"
        }
    }

    public var codeMeaning: String {
        switch self {
        case .cleanPixelData: "Clean Pixel Data Option"
        case .cleanGraphics: "Clean Graphics Option"
        case .cleanStructuredContent: "Clean Structured Content Option"
        case .cleanDescriptors: "Clean Descriptors Option"
        case .retainLongitudinalFullDates: "Retain Longitudinal Temporal Information Full Dates Option"
        case .retainLongitudinalModifiedDates: "Retain Longitudinal Temporal Information Modified Dates Option"
        case .retainPatientCharacteristics: "Retain Patient Characteristics Option"
        case .retainDeviceIdentity: "Retain Device Identity Option"
        case .retainUIDs: "Retain UIDs Option"
        case .retainSafePrivate: "Retain Safe Private Option"
        case .retainInstitutionIdentity: "Retain Institution Identity Option"
        }
    }

    public static func < (lhs: ProfileOption, rhs: ProfileOption) -> Bool { lhs.codeValue < rhs.codeValue }
}

/// An action code of Table E.1-1's Basic Profile column.
enum BasicAction: Sendable {
    case D, Z, X, K, C, U
    case XZ, XD, XZD, ZD
    /// X/Z/U*: a sequence of references whose UIDs are replaced.
    case XZU
}

/// An action code of an option column: keep, or clean.
enum OptionAction: Sendable { case K, C }

/// One row of Table E.1-1. Tags of repeating groups ((50xx,xxxx), (60xx,3000)) carry masks.
struct ProfileRow: Sendable {
    let group: UInt16
    let groupMask: UInt16
    let element: UInt16
    let elementMask: UInt16
    let name: String
    let basic: BasicAction
    let options: [ProfileOption: OptionAction]
    /// The row "(gggg,eeee) where gggg is odd": every private attribute.
    let isPrivateAttributes: Bool

    init(group: UInt16, groupMask: UInt16, element: UInt16, elementMask: UInt16, name: String, basic: BasicAction,
         options: [ProfileOption: OptionAction]) {
        (self.group, self.groupMask, self.element, self.elementMask) = (group, groupMask, element, elementMask)
        (self.name, self.basic, self.options, isPrivateAttributes) = (name, basic, options, false)
    }

    init(privateAttributes name: String, basic: BasicAction, options: [ProfileOption: OptionAction]) {
        (group, groupMask, element, elementMask) = (1, 1, 0, 0)
        (self.name, self.basic, self.options, isPrivateAttributes) = (name, basic, options, true)
    }

    func matches(_ tag: Tag) -> Bool {
        tag.group & groupMask == group && tag.element & elementMask == element
    }

    /// Rows by exact tag, and the few rows with repeating groups to be tried in turn.
    private static let exact: [Tag: ProfileRow] = Dictionary(
        table.filter { !$0.isPrivateAttributes && $0.groupMask == 0xFFFF && $0.elementMask == 0xFFFF }
            .map { (Tag($0.group, $0.element), $0) }, uniquingKeysWith: { first, _ in first })
    private static let repeating = table.filter { !$0.isPrivateAttributes && ($0.groupMask != 0xFFFF || $0.elementMask != 0xFFFF) }
    static let privateAttributes = table.first(where: \.isPrivateAttributes)!

    /// The row for a public tag, nil when the table does not list it.
    static func row(for tag: Tag) -> ProfileRow? {
        if let row = exact[tag] { return row }
        return repeating.first { $0.matches(tag) }
    }
}

/// One row of Table E.3.10-1: a private attribute known to be safe, by group, creator and element byte.
struct SafePrivateAttribute: Hashable, Sendable {
    let group: UInt16
    let element: UInt8
    let creator: String

    private static let all = Set(table)

    static func isSafe(group: UInt16, element: UInt8, creator: String) -> Bool {
        all.contains(SafePrivateAttribute(group: group, element: element, creator: creator))
    }
}
