import CDcmtkShim

/// A SOP class by UID, named from DCMTK's UID dictionary.
public struct SOPClass: Hashable, Sendable, CustomStringConvertible {
    public let uid: String

    public init(uid: String) { self.uid = uid }

    /// DCMTK's name ("CTImageStorage"), or the UID when it is not a well-known one.
    public var name: String {
        DicomLibrary.initialize()
        return dsh_uid_name(uid).map { String(cString: $0) } ?? uid
    }

    /// Whether objects of this class are stored with C-STORE (images, SR, RT, presentation states...).
    public var isStorage: Bool {
        DicomLibrary.initialize()
        return dsh_is_storage_sop_class(uid) != 0
    }

    public var description: String { name }
}

extension DicomObject {
    /// The object's SOP class, from SOP Class UID (or the file meta information's).
    public var sopClass: SOPClass? {
        let uid = (try? string(.sopClassUID)) ?? (try? string(.mediaStorageSOPClassUID))
        return uid.flatMap { $0 }.map(SOPClass.init)
    }
}
