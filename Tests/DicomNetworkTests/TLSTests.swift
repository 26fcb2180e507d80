import DicomNetwork
import Foundation
import TestSupport
import Testing

/// DICOM TLS against DCMTK's storescp +tls, with a certificate authority the test makes with openssl.
@Suite struct TLSTests {
    struct Credentials {
        let folder: URL
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    }

    /// A CA, a server certificate and a client certificate signed by it, and a second, unrelated CA.
    static func makeCredentials() throws -> Credentials {
        let openssl = try #require(Processes.system("openssl"))
        let folder = try TestPaths.temporaryFolder("tls")
        func run(_ arguments: [String]) throws {
            let result = try Processes.run(openssl, arguments)
            guard result.status == 0 else { throw PeerError("openssl \(arguments.first!): \(result.stderr)") }
        }
        let credentials = Credentials(folder: folder)
        for ca in ["ca", "other-ca"] {
            try run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", credentials.path("\(ca).key"), "-out",
                     credentials.path("\(ca).crt"), "-days", "2", "-subj", "/CN=Telerad test \(ca)"])
        }
        for party in ["server", "client"] {
            try run(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", credentials.path("\(party).key"), "-out",
                     credentials.path("\(party).csr"), "-subj", "/CN=localhost"])
            try run(["x509", "-req", "-in", credentials.path("\(party).csr"), "-CA", credentials.path("ca.crt"), "-CAkey",
                     credentials.path("ca.key"), "-CAcreateserial", "-out", credentials.path("\(party).crt"), "-days", "2"])
        }
        return credentials
    }

    @Test func storesOverTLSAndRefusesAnUntrustedPeerWithTheReason() throws {
        let storescp = try #require(Processes.system("storescp"))
        let credentials = try Self.makeCredentials()
        defer { try? FileManager.default.removeItem(at: credentials.folder) }
        let inbox = credentials.folder.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let port = Processes.freePort()
        // The receiver requires a client certificate signed by the CA.
        let peer = try PeerProcess(storescp, ["+tls", credentials.path("server.key"), credentials.path("server.crt"),
                                              "+cf", credentials.path("ca.crt"), "--output-directory", inbox.path, "\(port)"], port: port)
        defer { peer.stop() }
        let item = StoreSender.Item(url: TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm"), displayPath: "CT_small.dcm")
        var options = StoreSender.Options(peer: PeerAddress("PEER@127.0.0.1:\(port)")!)
        options.retries = 0
        options.tls = StoreSender.TLSSettings(caFile: credentials.path("ca.crt"), certificateFile: credentials.path("client.crt"),
                                              privateKeyFile: credentials.path("client.key"))
        let stored = try StoreSender(options: options).send([item]) { _, _ in }
        #expect(stored.stored == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path).count == 1)

        // Trusting another CA: the server's certificate does not verify, and the message says TLS.
        options.tls?.caFile = credentials.path("other-ca.crt")
        final class Message: @unchecked Sendable { var text = "" }
        let message = Message()
        let refused = try StoreSender(options: options).send([item]) { _, outcome in
            if case .failed(let text) = outcome { message.text = text }
        }
        #expect(refused.failed == 1 && refused.connectionFailed)
        #expect(message.text.hasPrefix("TLS handshake failed"), "\(message.text)")

        // Plain TCP to a TLS receiver does not pass either.
        options.tls = nil
        #expect(try StoreSender(options: options).send([item]) { _, _ in }.failed == 1)
    }
}
