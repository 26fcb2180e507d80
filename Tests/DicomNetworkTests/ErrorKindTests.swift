import DicomCore
import DicomNetwork
import Foundation
import TestSupport
import Testing

/// Errors cross the C ABI with a kind and DCMTK's condition, and the sender's retries switch on the kind:
/// each kind is provoked by a real peer (DCMTK's storescp, the embedded receiver, a listener that never
/// answers, a closed port), never by matching words.
@Suite struct ErrorKindTests {
    static func echoError(_ peer: String, timeoutSeconds: Int = 2) -> DicomError? {
        #expect(throws: DicomError.self) {
            try Verification.echo(PeerAddress(peer)!, callingAETitle: "TEST", timeoutSeconds: timeoutSeconds)
        }
    }

    @Test func closedPortIsAConnectionError() {
        let error = Self.echoError("PEER@127.0.0.1:\(Processes.freePort())")
        #expect(error?.kind == .connection, "\(String(describing: error))")
        #expect(error?.kind.isTransient == true)
        #expect(error?.condition?.module == 6, "dcmnet is DCMTK's module 6: \(String(describing: error?.condition))")
    }

    @Test func silentPeerIsATimeout() throws {
        // Connections complete in the kernel's backlog; nobody ever reads the association request.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 } }
        #expect(listen(listener, 8) == 0)
        let start = Date()
        let error = Self.echoError("PEER@127.0.0.1:\(UInt16(bigEndian: address.sin_port))", timeoutSeconds: 1)
        #expect(error?.kind == .timedOut, "\(String(describing: error))")
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func permanentRejectionByDcmtkIsNotRetried() throws {
        let storescp = try #require(Processes.system("storescp"), "DCMTK storescp is installed by make test")
        let port = Processes.freePort()
        let peer = try PeerProcess(storescp, ["--aetitle", "PEER", "--refuse", "\(port)"], port: port)
        defer { peer.stop() }
        let error = Self.echoError("PEER@127.0.0.1:\(port)")
        #expect(error?.kind == .rejectedPermanently, "\(String(describing: error))")
        #expect(error?.condition == DicomError.Condition(module: 6, code: 0x301), "DUL_ASSOCIATIONREJECTED")

        let file = TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm")
        var options = StoreSender.Options(peer: PeerAddress("PEER@127.0.0.1:\(port)")!)
        (options.retries, options.backoffSeconds) = (3, 0.2)
        let summary = try StoreSender(options: options).send([StoreSender.Item(url: file, displayPath: "sample")]) { _, _ in }
        #expect(summary.failed == 1 && summary.retries == 0 && summary.connectionFailed)
    }

    /// The receiver over its per-address cap rejects transiently (local limit exceeded): the sender tries
    /// again and gets through once the idle connection holding the slot is dropped (association timeout).
    @Test func transientRejectionIsRetriedUntilItPasses() throws {
        let inbox = try TestPaths.temporaryFolder("error-kinds")
        var receiverOptions = StorageReceiver.Options(port: Processes.freePort(), outputFolder: inbox)
        (receiverOptions.maxPerHost, receiverOptions.associationTimeoutSeconds) = (1, 1)
        let receiver = try StorageReceiver(options: receiverOptions)
        defer { receiver.stop() }
        let idle = try RawConnection(to: receiver.port)
        Thread.sleep(forTimeInterval: 0.2)  // the receiver has counted it

        let error = Self.echoError("TELERAD@127.0.0.1:\(receiver.port)")
        #expect(error?.kind == .rejectedTransiently, "\(String(describing: error))")

        let file = TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm")
        var options = StoreSender.Options(peer: PeerAddress("TELERAD@127.0.0.1:\(receiver.port)")!)
        (options.retries, options.backoffSeconds) = (4, 0.4)
        let summary = try StoreSender(options: options).send([StoreSender.Item(url: file, displayPath: "sample")]) { _, _ in }
        #expect(summary.stored == 1 && summary.retries >= 1, "\(summary)")
        _ = idle
    }
}
