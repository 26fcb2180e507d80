/// A failure reported by the DICOM core: DCMTK's condition text or the core's own reason, one line, and
/// its kind where a caller decides by it.
public struct DicomError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Sendable, Equatable {
        case failure
        /// A resource another run holds (a locked journal): the caller's usage, not the data, is at fault.
        case inUse
    }

    public let message: String
    public let kind: Kind

    public init(_ message: String) { self.init(message, kind: .failure) }

    public init(_ message: String, kind: Kind) {
        // One line, whatever DCMTK said: callers print it after "tool: path: ".
        self.message = message.split(whereSeparator: \.isNewline).joined(separator: "; ")
        self.kind = kind
    }

    public var description: String { message }
}
