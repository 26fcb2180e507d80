import DicomCore
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
        // The server's certificate names this host (by name and loopback address); "elsewhere" names another
        // hospital's PACS, signed by the same CA.
        let names = ["server": "DNS:localhost,IP:127.0.0.1", "client": "DNS:island-gateway", "elsewhere": "DNS:pacs.other-hospital.example"]
        for (party, alternativeNames) in names {
            try run(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", credentials.path("\(party).key"), "-out",
                     credentials.path("\(party).csr"), "-subj", "/CN=\(party)"])
            let extensions = credentials.path("\(party).ext")
            try "subjectAltName=\(alternativeNames)\n".write(toFile: extensions, atomically: true, encoding: .utf8)
            try run(["x509", "-req", "-in", credentials.path("\(party).csr"), "-CA", credentials.path("ca.crt"), "-CAkey",
                     credentials.path("ca.key"), "-CAcreateserial", "-out", credentials.path("\(party).crt"), "-days", "2",
                     "-extfile", extensions])
            chmod(credentials.path("\(party).key"), 0o600)
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
        options.tls = ClientTLS(caFile: credentials.path("ca.crt"), certificateFile: credentials.path("client.crt"),
                                              privateKeyFile: credentials.path("client.key"))
        let stored = try StoreSender(options: options).send([item]) { _, _ in }
        #expect(stored.stored == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path).count == 1)

        // Trusting another CA: the server's certificate does not verify, and the message says TLS.
        options.tls?.caFile = credentials.path("other-ca.crt")
        let outcomes = SendOutcomes()
        let refused = try StoreSender(options: options).send([item], report: outcomes.add)
        #expect(refused.failed == 1 && refused.connectionFailed)
        #expect(outcomes.failures.first?.hasPrefix("TLS handshake failed") == true, "\(outcomes.failures)")
        let error = #expect(throws: DicomError.self) {
            try Verification.echo(options.peer, callingAETitle: "TEST", timeouts: NetworkTimeouts(all: 5), tls: options.tls)
        }
        #expect(error?.kind == .tls, "\(String(describing: error))")

        // Plain TCP to a TLS receiver does not pass either.
        options.tls = nil
        #expect(try StoreSender(options: options).send([item]) { _, _ in }.failed == 1)
    }
}

/// The receiving end of DICOM TLS, and the sender's checks of the name in the peer's certificate.
@Suite struct ReceiverTLSTests {
    static func receiver(_ credentials: TLSTests.Credentials, certificate: String = "server", requireClients: Bool = true)
        throws -> (StorageReceiver, ReceiverEvents)
    {
        let events = ReceiverEvents()
        var options = StorageReceiver.Options(port: Processes.freePort(), outputFolder: credentials.folder.appendingPathComponent("in"))
        options.tls = StorageReceiver.ServerTLS(certificateFile: credentials.path("\(certificate).crt"),
                                                privateKeyFile: credentials.path("\(certificate).key"),
                                                caFile: requireClients ? credentials.path("ca.crt") : nil)
        options.events = { events.add($0) }
        return (try StorageReceiver(options: options), events)
    }

    static func send(to receiver: StorageReceiver, tls: ClientTLS?, host: String = "127.0.0.1") throws -> SendOutcomes {
        var options = StoreSender.Options(peer: PeerAddress("TELERAD@\(host):\(receiver.port)")!)
        options.retries = 0
        options.tls = tls
        let outcomes = SendOutcomes()
        let item = StoreSender.Item(url: TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm"), displayPath: "CT_small.dcm")
        _ = try StoreSender(options: options).send([item], report: outcomes.add)
        return outcomes
    }

    @Test func storesOverTLSWithAVerifiedClientAndRefusesOthers() throws {
        let credentials = try TLSTests.makeCredentials()
        defer { try? FileManager.default.removeItem(at: credentials.folder) }
        let (receiver, events) = try Self.receiver(credentials)
        defer { receiver.stop() }
        let client = ClientTLS(caFile: credentials.path("ca.crt"), certificateFile: credentials.path("client.crt"),
                               privateKeyFile: credentials.path("client.key"))
        #expect(try Self.send(to: receiver, tls: client).stored == 1)
        #expect(try Self.send(to: receiver, tls: ClientTLS(caFile: credentials.path("ca.crt"))).failed == 1, "no client certificate")
        let plain = try Self.send(to: receiver, tls: nil)
        #expect(plain.failed == 1, "plaintext to a TLS receiver")
        #expect(receiver.storedCount == 1)
        let refusals = events.refusals(atLeast: 2) { $0.contains("TLS handshake failed") }
        #expect(refusals.filter { $0.contains("TLS handshake failed") }.count >= 2, "\(refusals)")

        // C-ECHO goes over TLS too, with the same checks.
        let peer = PeerAddress("TELERAD@127.0.0.1:\(receiver.port)")!
        _ = try Verification.echo(peer, callingAETitle: "ECHO", timeouts: NetworkTimeouts(all: 5), tls: client)
        #expect(throws: DicomError.self) { _ = try Verification.echo(peer, callingAETitle: "ECHO", timeouts: NetworkTimeouts(all: 5)) }
    }

    /// A certificate the trusted CA issued for another hospital's PACS does not pass for this host; naming
    /// that host explicitly (--peer-name) does.
    @Test func thePeersCertificateMustNameTheHost() throws {
        let credentials = try TLSTests.makeCredentials()
        defer { try? FileManager.default.removeItem(at: credentials.folder) }
        let (elsewhere, _) = try Self.receiver(credentials, certificate: "elsewhere", requireClients: false)
        defer { elsewhere.stop() }
        var tls = ClientTLS(caFile: credentials.path("ca.crt"))
        let refused = try Self.send(to: elsewhere, tls: tls)
        #expect(refused.failed == 1 && refused.failures.first?.hasPrefix("TLS handshake failed") == true, "\(refused.failures)")
        tls.peerName = "pacs.other-hospital.example"
        #expect(try Self.send(to: elsewhere, tls: tls).stored == 1)

        // The server certificate names localhost and 127.0.0.1: both pass, by name and by address.
        let (server, _) = try Self.receiver(credentials, requireClients: false)
        defer { server.stop() }
        #expect(try Self.send(to: server, tls: ClientTLS(caFile: credentials.path("ca.crt"))).stored == 1)
        #expect(try Self.send(to: server, tls: ClientTLS(caFile: credentials.path("ca.crt")), host: "localhost").stored == 1)
    }
}
