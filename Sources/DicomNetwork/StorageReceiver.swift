import CDcmtkShim
import DicomCore
import Foundation

/// The embedded receiver: a storage SCP for every storage SOP class that writes what arrives atomically
/// into a folder (or discards it, for benchmarks). It serves tests, is transfer-bench's default peer, and
/// gives an island site a receiving end with one command (`dcm-send --listen`).
public final class StorageReceiver: @unchecked Sendable {
    public let port: UInt16
    public let aeTitle: String
    private var handle: OpaquePointer?
    private var finalCounts: (stored: Int, bytes: Int) = (0, 0)

    /// An association silent for `idleTimeoutSeconds` is dropped, so a sender whose link vanished does not
    /// hold one of the `maxAssociations` slots forever.
    public init(
        aeTitle: String = "TELERAD", port: UInt16, outputFolder: URL?, maxAssociations: Int = 8, idleTimeoutSeconds: Int = 300
    ) throws(DicomError) {
        DicomLibrary.initialize()
        self.port = port
        self.aeTitle = aeTitle
        if let outputFolder {
            do { try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true) } catch {
                throw DicomError("cannot create \(outputFolder.path): \(error.localizedDescription)")
            }
        }
        var receiver: OpaquePointer?
        var error: UnsafeMutablePointer<CChar>?
        let status = dsh_receiver_start(
            aeTitle, port, outputFolder?.path, Int32(maxAssociations), Int32(idleTimeoutSeconds), &receiver, &error)
        defer { dsh_free(error) }
        guard status == Int32(DSH_OK), let receiver else {
            throw DicomError(error.map { String(cString: $0) } ?? "cannot start the receiver")
        }
        handle = receiver
        // DCMTK reports a failed bind only on its listening thread, at once: wait a moment for it, and for
        // the port to answer.
        for attempt in 0..<100 {
            var reason: UnsafeMutablePointer<CChar>?
            if dsh_receiver_failed(receiver, &reason) != 0 {
                let text = reason.map { String(cString: $0) } ?? "listener failed"
                dsh_free(reason)
                stop()
                throw DicomError("cannot listen on port \(port): \(text)")
            }
            if attempt >= 5, LoopbackProbe.accepts(port) { return }
            usleep(20_000)
        }
        stop()
        throw DicomError("cannot listen on port \(port): it does not answer")
    }

    /// Objects received and confirmed so far.
    public var storedCount: Int { handle.map { Int(dsh_receiver_stored($0)) } ?? finalCounts.stored }
    public var storedBytes: Int { handle.map { Int(dsh_receiver_bytes($0)) } ?? finalCounts.bytes }

    /// Stops listening and waits for running associations to end; the counts stay readable.
    public func stop() {
        guard let handle else { return }
        var stored: UInt64 = 0, bytes: UInt64 = 0
        dsh_receiver_stop(handle, &stored, &bytes)
        finalCounts = (Int(stored), Int(bytes))
        self.handle = nil
    }

    deinit { stop() }
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
