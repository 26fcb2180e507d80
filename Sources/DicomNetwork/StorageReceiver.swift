import DicomCore
import Foundation

/// The embedded receiver: a storage SCP for every storage SOP class that streams what arrives to disk
/// (or discards it, for benchmarks), with the defences a hospital network needs: its own accept loop that
/// never waits on a peer, connection limits, the called AE title checked, an allow-list, TLS, a size limit,
/// UIDs checked against the request, and nothing answered Success before file and folder are synced.
/// It serves tests, is transfer-bench's default peer, and gives an island site a receiving end with one
/// command (`dcm-send --listen`).
public final class StorageReceiver: Sendable {
    public struct Options: Sendable {
        public var aeTitle = "TELERAD"
        public var port: UInt16
        /// The address to listen on; nil: every IPv4 interface.
        public var bindAddress: String?
        /// nil discards objects (benchmarks).
        public var outputFolder: URL?
        public var maxAssociations = 16
        /// Connections at once from one address.
        public var maxPerHost = 8
        /// Seconds a new connection has to send its association request.
        public var associationTimeoutSeconds = 10
        /// An association silent this long is aborted.
        public var idleTimeoutSeconds = 300
        public var maxPDU: UInt32 = 131_072
        public var maxObjectBytes: UInt64 = 4 << 30
        /// Accepted calling peers; empty accepts any.
        public var allow: [AllowedPeer] = []
        public var tls: ServerTLS?
        /// One call per refusal, error or notable event (from the receiver's threads).
        public var events: (@Sendable (Event) -> Void)?
        /// Only C-ECHO and Storage Commitment reports, for a sender waiting for its archive's answers
        /// (`--commit-listen`); nothing is stored.
        public var commitmentReportsOnly = false
        /// As Storage Commitment provider: senders whose reports go on an association of our own, to the
        /// address given (`--commit-peers`), rather than on the one that asked.
        public var commitPeers: [PeerAddress] = []

        public init(port: UInt16, outputFolder: URL?) { (self.port, self.outputFolder) = (port, outputFolder) }
    }

    public typealias ServerTLS = DicomCore.ServerTLS

    public struct Event: Sendable {
        public enum Kind: Sendable { case info, refusal, error, stored, commitment }
        public let kind: Kind
        /// The line to show; for `.stored`, the object's path.
        public let message: String
        /// For `.stored`: the object on disk (file and folder synced; Success not yet answered).
        public let stored: StoredObject?
        /// For `.commitment`: the report an archive sent (`commitmentReportsOnly`).
        public var commitment: CommitmentReport? = nil
    }

    /// An object the receiver has put on disk (or discarded, without an output folder: `path` is empty).
    public struct StoredObject: Sendable, Equatable {
        public let path: String
        public let sopInstanceUID: String
        /// From the object's first MiB; nil when it is not there.
        public let studyInstanceUID: String?
        /// "<host> <calling AE title>".
        public let peer: String
    }

    public let port: UInt16
    public let aeTitle: String
    private let engine: ReceiverEngine

    /// The receiver with its defaults for everything but these (as the tests and benchmarks use it).
    public convenience init(
        aeTitle: String = "TELERAD", port: UInt16, outputFolder: URL?, maxAssociations: Int = 16, idleTimeoutSeconds: Int = 300
    ) throws(DicomError) {
        var options = Options(port: port, outputFolder: outputFolder)
        options.aeTitle = aeTitle
        options.maxAssociations = maxAssociations
        options.maxPerHost = maxAssociations
        options.idleTimeoutSeconds = idleTimeoutSeconds
        try self.init(options: options)
    }

    public init(options: Options) throws(DicomError) {
        DicomLibrary.initialize()
        port = options.port
        aeTitle = options.aeTitle
        if let folder = options.outputFolder {
            do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
                throw DicomError("cannot create \(folder.path): \(error.localizedDescription)")
            }
        }
        var settings = ReceiverEngine.Settings(
            aeTitle: options.aeTitle, bindAddress: options.bindAddress, port: options.port, outputFolder: options.outputFolder?.path,
            maxAssociations: options.maxAssociations, maxPerHost: options.maxPerHost,
            associationSeconds: options.associationTimeoutSeconds, idleSeconds: options.idleTimeoutSeconds, maxPDU: options.maxPDU,
            maxObjectBytes: options.maxObjectBytes, allow: options.allow.map(\.description), tls: options.tls)
        settings.commitmentReportsOnly = options.commitmentReportsOnly
        settings.commitPeers = options.commitPeers.map(\.description)
        let events = options.events.map { handler in
            { @Sendable (kind: ReceiverEngine.EventKind, message: String) in handler(Event(kind: kind, message: message)) }
        }
        engine = try ReceiverEngine(settings: settings, events: events)
    }

    /// Objects received and confirmed so far.
    public var storedCount: Int { engine.counts.stored }
    public var storedBytes: Int { engine.counts.bytes }

    /// Stops listening, ends the associations at their next command and waits for them; the counts stay readable.
    public func stop() { engine.stop() }

    deinit { stop() }
}

extension StorageReceiver.Event {
    init(kind: ReceiverEngine.EventKind, message: String) {
        switch kind {
        case .info: (self.kind, self.message, stored) = (.info, message, nil)
        case .refusal: (self.kind, self.message, stored) = (.refusal, message, nil)
        case .error: (self.kind, self.message, stored) = (.error, message, nil)
        case .commitment:
            (self.kind, stored, commitment) = (.commitment, nil, CommitmentReport(text: message))
            self.message = "storage commitment report for transaction " + (commitment?.transactionUID ?? "?")
        case .stored:
            let fields = message.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            let object = StorageReceiver.StoredObject(
                path: fields[0], sopInstanceUID: fields.count > 3 ? fields[3] : "",
                studyInstanceUID: fields.count > 1 && !fields[1].isEmpty ? fields[1] : nil, peer: fields.count > 2 ? fields[2] : "")
            (self.kind, self.message, stored) = (.stored, object.path, object)
        }
    }
}

/// Whether something accepts TCP connections on a loopback port (a listener is up).
public enum LoopbackProbe {
    public static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
