import CDcmtkShim
import DicomCore
import Foundation
import Synchronization

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

        public init(port: UInt16, outputFolder: URL?) { (self.port, self.outputFolder) = (port, outputFolder) }
    }

    /// Our certificate and key; with a CA file, client certificates are required and verified against it.
    public struct ServerTLS: Sendable {
        public var certificateFile: String
        public var privateKeyFile: String
        public var caFile: String?

        public init(certificateFile: String, privateKeyFile: String, caFile: String? = nil) {
            (self.certificateFile, self.privateKeyFile, self.caFile) = (certificateFile, privateKeyFile, caFile)
        }
    }

    public struct Event: Sendable {
        public enum Kind: Sendable { case info, refusal, error }
        public let kind: Kind
        public let message: String
    }

    public let port: UInt16
    public let aeTitle: String
    private let state: Mutex<State>
    private let sink: EventSink?

    /// The shim's receiver; it is used only under the mutex.
    private struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    private struct State: ~Copyable {
        var handle: Handle?
        var stored = 0
        var bytes = 0
    }

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
        let sink = options.events.map(EventSink.init)
        self.sink = sink
        let allow = options.allow.map(\.description)
        var receiver: OpaquePointer?
        var error: UnsafeMutablePointer<CChar>?
        let status = withCStrings(allow) { allowPointers in
            withTLS(options.tls) { tls in
                var settings = dsh_receiver_options(
                    ae_title: nil, bind_address: nil, port: options.port, output_folder: nil,
                    max_associations: Int32(options.maxAssociations), max_per_host: Int32(options.maxPerHost),
                    association_seconds: Int32(options.associationTimeoutSeconds), idle_seconds: Int32(options.idleTimeoutSeconds),
                    max_pdu: options.maxPDU, max_object_bytes: options.maxObjectBytes, allow: allowPointers,
                    allow_count: allow.count, tls: tls, sink: sink == nil ? nil : receiverEvent,
                    sink_context: sink.map { Unmanaged.passUnretained($0).toOpaque() })
                return options.aeTitle.withCString { title in
                    settings.ae_title = title
                    return withOptionalCString(options.bindAddress) { bind in
                        settings.bind_address = bind
                        return withOptionalCString(options.outputFolder?.path) { folder in
                            settings.output_folder = folder
                            return dsh_receiver_start(&settings, &receiver, &error)
                        }
                    }
                }
            }
        }
        defer { dsh_free(error) }
        guard status == Int32(DSH_OK), let receiver else {
            throw DicomError(error.map { String(cString: $0) } ?? "cannot start the receiver")
        }
        state = Mutex(State(handle: Handle(pointer: receiver)))
    }

    /// Objects received and confirmed so far.
    public var storedCount: Int { state.withLock { $0.handle.map { Int(dsh_receiver_stored($0.pointer)) } ?? $0.stored } }
    public var storedBytes: Int { state.withLock { $0.handle.map { Int(dsh_receiver_bytes($0.pointer)) } ?? $0.bytes } }

    /// Stops listening, ends the associations at their next command and waits for them; the counts stay readable.
    public func stop() {
        state.withLock { state in
            guard let handle = state.handle else { return }
            var stored: UInt64 = 0, bytes: UInt64 = 0
            dsh_receiver_stop(handle.pointer, &stored, &bytes)
            (state.stored, state.bytes, state.handle) = (Int(stored), Int(bytes), nil)
        }
    }

    deinit { stop() }
}

/// Holds the event closure for the C threads; lives as long as the receiver that owns it.
private final class EventSink: Sendable {
    let handler: @Sendable (StorageReceiver.Event) -> Void
    init(_ handler: @escaping @Sendable (StorageReceiver.Event) -> Void) { self.handler = handler }
}

private func receiverEvent(context: UnsafeMutableRawPointer?, kind: Int32, message: UnsafePointer<CChar>?) {
    guard let context, let message else { return }
    let sink = Unmanaged<EventSink>.fromOpaque(context).takeUnretainedValue()
    let kinds: [Int32: StorageReceiver.Event.Kind] = [Int32(DSH_EVENT_REFUSAL): .refusal, Int32(DSH_EVENT_ERROR): .error]
    sink.handler(StorageReceiver.Event(kind: kinds[kind] ?? .info, message: String(cString: message)))
}

private func withTLS<R>(_ tls: StorageReceiver.ServerTLS?, _ body: (UnsafePointer<dsh_tls>?) -> R) -> R {
    guard let tls else { return body(nil) }
    return withOptionalCString(tls.caFile) { ca in
        tls.certificateFile.withCString { certificate in
            tls.privateKeyFile.withCString { key in
                var settings = dsh_tls(ca_file: ca, certificate_file: certificate, private_key_file: key, verify_peer: 1, peer_name: nil)
                return withUnsafePointer(to: &settings) { body($0) }
            }
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
