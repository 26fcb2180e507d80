import DicomCore

/// How de-identified outputs are named: as the inputs (their folders too), by SOP Instance UID, or by
/// study, series and instance UID. Names are taken from the de-identified object and only from valid UIDs,
/// so nothing in a name can leave the output folder or carry an input's folder name.
public enum OutputLayout: Sendable {
    case input
    case instance
    case study

    /// The output's path relative to the output folder; nil keeps the input's relative path.
    public func name(of object: DicomObject) throws -> String? {
        switch self {
        case .input: return nil
        case .instance: return try Self.uid(.sopInstanceUID, of: object) + ".dcm"
        case .study:
            return try [Self.uid(.studyInstanceUID, of: object), Self.uid(.seriesInstanceUID, of: object),
                        Self.uid(.sopInstanceUID, of: object) + ".dcm"].joined(separator: "/")
        }
    }

    static func uid(_ tag: Tag, of object: DicomObject) throws -> String {
        let value = try object.string(tag)?.trimmedPadding ?? ""
        guard UIDSyntax.isValid(value) else {
            throw DeidentificationError("\(tag) is not a valid UID: the output cannot be named by it")
        }
        return value
    }
}

/// A UID as PS3.5 9.1 allows: 1 to 64 characters, digits and dots, no empty component, no leading zero.
public enum UIDSyntax {
    public static func isValid(_ uid: String) -> Bool {
        guard (1...64).contains(uid.utf8.count) else { return false }
        let components = uid.split(separator: ".", omittingEmptySubsequences: false)
        return components.allSatisfy { component in
            !component.isEmpty && component.allSatisfy(\.isASCII) && component.allSatisfy(\.isNumber) && (component.count == 1 || component.first != "0")
        }
    }
}
