import DicomNetwork
import TestSupport
import Testing

@Suite struct EchoTests {
    @Test func echoAgainstDCMTKStorescp() throws {
        let storescp = try #require(Processes.system("storescp"), "DCMTK storescp is installed by make test")
        let port = Processes.freePort()
        let peer = try PeerProcess(storescp, ["--aetitle", "PEER", "\(port)"], port: port)
        let milliseconds = try Verification.echo(PeerAddress("PEER@127.0.0.1:\(port)")!, callingAETitle: "TEST")
        // With TCP_NODELAY/QUICKACK a loopback echo takes well under the 40 ms delayed-ACK stall that
        // DCMTK's default sockets pay (measured ~115 ms before the low-latency transport).
        #expect(milliseconds > 0 && milliseconds < 40, "\(milliseconds) ms")
        peer.stop()
    }

    @Test func refusedConnectionIsOneLineNamingTheCause() throws {
        let port = Processes.freePort()  // nobody listens there
        let error = #expect(throws: (any Error).self) {
            try Verification.echo(PeerAddress("PEER@127.0.0.1:\(port)")!, callingAETitle: "TEST", timeoutSeconds: 2)
        }
        let text = "\(error!)"
        #expect(text.contains("Connection refused"), "\(text)")
        #expect(!text.contains("\n"))
    }

    @Test func refusedAssociationIsReported() throws {
        let storescp = try #require(Processes.system("storescp"))
        let port = Processes.freePort()
        let peer = try PeerProcess(storescp, ["--aetitle", "PEER", "--refuse", "\(port)"], port: port)
        let error = #expect(throws: (any Error).self) {
            try Verification.echo(PeerAddress("PEER@127.0.0.1:\(port)")!, callingAETitle: "TEST", timeoutSeconds: 5)
        }
        let text = "\(error!)"
        #expect(text.hasPrefix("association rejected: Result: Rejected Permanent"), "\(text)")
        peer.stop()
    }

    @Test func peerAddressParsing() {
        #expect(PeerAddress("ORTHANC@pacs.example:4242")?.port == 4242)
        #expect(PeerAddress("A@[::1]:104")?.host == "[::1]")
        #expect(PeerAddress("nohost:104") == nil)
        #expect(PeerAddress("TOOLONGAETITLE_XYZ@h:1") == nil)
        #expect(PeerAddress("A@h:0") == nil)
    }
}
