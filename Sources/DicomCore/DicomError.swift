/// A failure reported by the DICOM core: DCMTK's condition text or the core's own reason, one line, its kind
/// (what callers decide by: retry, exit code) and DCMTK's condition when it came from one.
public struct DicomError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The data, the settings or DCMTK refused: the same call fails again.
        case failure
        /// A resource another run holds (a locked journal): the caller's usage, not the data, is at fault.
        case inUse
        case outOfMemory
        /// No connection, or it broke (refused, reset, aborted by the peer, closed).
        case connection
        /// The peer did not answer within the timeout.
        case timedOut
        /// The peer rejected the association and said it may accept later.
        case rejectedTransiently
        /// The peer rejected the association for good (unknown AE title, unsupported protocol).
        case rejectedPermanently
        /// TLS set-up or handshake: certificates, keys or names to fix.
        case tls
        /// The peer accepted no presentation context for this object (the association itself is fine).
        case notAccepted

        /// Worth trying again later: the network or the peer's load, not the data or the settings.
        public var isTransient: Bool {
            switch self {
            case .connection, .timedOut, .rejectedTransiently, .outOfMemory: true
            case .failure, .inUse, .rejectedPermanently, .tls, .notAccepted: false
            }
        }
    }

    /// DCMTK's OFCondition module and code (dcmnet is module 6; `DUL_ASSOCIATIONREJECTED` is 6/0x0305).
    public struct Condition: Sendable, Equatable, CustomStringConvertible {
        public let module: UInt16
        public let code: UInt16
        public init(module: UInt16, code: UInt16) { (self.module, self.code) = (module, code) }
        public var description: String { "\(module)/0x" + String(code, radix: 16, uppercase: true) }
    }

    public let message: String
    public let kind: Kind
    public let condition: Condition?

    public init(_ message: String) { self.init(message, kind: .failure) }

    public init(_ message: String, kind: Kind, condition: Condition? = nil) {
        // One line, whatever DCMTK said: callers print it after "tool: path: ".
        self.message = message.split(whereSeparator: \.isNewline).joined(separator: "; ")
        self.kind = kind
        self.condition = condition
    }

    public var description: String { message }
}
