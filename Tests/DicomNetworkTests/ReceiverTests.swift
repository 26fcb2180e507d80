import DicomCodecs
import DicomCore
import DicomNetwork
import Foundation
import SyntheticStudy
import TestSupport
import Testing

@Suite struct ReceiverTests {
    @Test func receivesFromOurSenderAtomicallyWithIdenticalPixels() throws {
        let source = try TestPaths.temporaryFolder("recv-src"), inbox = try TestPaths.temporaryFolder("recv-in")
        defer { try? FileManager.default.removeItem(at: source); try? FileManager.default.removeItem(at: inbox) }
        try StrokeStudy(scale: 0.01, seed: 21).write(to: source, jobs: 2)
        let files = try FileManager.default.subpathsOfDirectory(atPath: source.path).filter { $0.hasSuffix(".dcm") }
        let receiver = try StorageReceiver(port: Processes.freePort(), outputFolder: inbox)
        var options = StoreSender.Options(peer: PeerAddress("TELERAD@127.0.0.1:\(receiver.port)")!)
        options.associations = 3
        let summary = try StoreSender(options: options).send(files.map {
            StoreSender.Item(url: source.appendingPathComponent($0), displayPath: $0)
        }) { _, _ in }
        #expect(summary.stored == files.count)
        receiver.stop()
        #expect(receiver.storedCount == files.count)
        let written = try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0 != ".digests" }
        #expect(written.count == files.count && written.allSatisfy { $0.hasPrefix("2.25.") && $0.hasSuffix(".dcm") })
        for file in files {
            let original = try DicomObject(contentsOf: source.appendingPathComponent(file))
            let uid = try #require(try original.string(.sopInstanceUID))
            let received = try DicomObject(contentsOf: inbox.appendingPathComponent("\(uid).dcm"))
            #expect(try received.decodedPixelData() == original.decodedPixelData())
            #expect(try received.string(.patientName) == original.string(.patientName))
        }
    }

    @Test func dcmtkStorescuIsAcceptedInItsOwnSyntaxes() throws {
        let storescu = try #require(Processes.system("storescu"))
        let work = try TestPaths.temporaryFolder("recv-dcmtk")
        defer { try? FileManager.default.removeItem(at: work) }
        let ct = TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm")
        let jls = work.appendingPathComponent("ct-jls.dcm")
        let original = try DicomObject(contentsOf: ct)
        let compressed = try Transcoder.transcode(original, to: .jpegLS).object
        try compressed.set(.sopInstanceUID, "2.25.1234")  // a second instance
        try compressed.write(to: jls)
        let inbox = work.appendingPathComponent("in")
        let receiver = try StorageReceiver(aeTitle: "ISLAND", port: Processes.freePort(), outputFolder: inbox)
        defer { receiver.stop() }
        #expect(try Processes.run(storescu, ["-aec", "ISLAND", "127.0.0.1", "\(receiver.port)", ct.path]).status == 0)
        #expect(try Processes.run(storescu, ["-xt", "-aec", "ISLAND", "127.0.0.1", "\(receiver.port)", jls.path]).status == 0)
        let uid = try #require(try original.string(.sopInstanceUID))
        #expect(try DicomObject(contentsOf: inbox.appendingPathComponent("\(uid).dcm")).transferSyntax == .explicitLittleEndian)
        let stored = try DicomObject(contentsOf: inbox.appendingPathComponent("2.25.1234.dcm"))
        #expect(stored.transferSyntax == .jpegLSLossless)
        #expect(try stored.decodedPixelData() == original.decodedPixelData())
    }

    @Test func discardModeCountsWithoutWritingAndEchoIsFast() throws {
        let receiver = try StorageReceiver(port: Processes.freePort(), outputFolder: nil)
        defer { receiver.stop() }
        let milliseconds = try Verification.echo(PeerAddress("TELERAD@127.0.0.1:\(receiver.port)")!, callingAETitle: "T")
        #expect(milliseconds < 40, "\(milliseconds) ms: no delayed-ACK stall on the receiver's sockets either")
        let summary = try StoreSender(options: StoreSender.Options(peer: PeerAddress("TELERAD@127.0.0.1:\(receiver.port)")!)).send(
            [StoreSender.Item(url: TestPaths.dicomSamples.appendingPathComponent("MR_small.dcm"), displayPath: "MR_small.dcm")]) { _, _ in }
        #expect(summary.stored == 1)
        #expect(receiver.storedCount == 1 && receiver.storedBytes > 8000)
    }

    @Test func aBusyPortIsAnError() throws {
        let first = try StorageReceiver(port: Processes.freePort(), outputFolder: nil)
        defer { first.stop() }
        #expect(throws: DicomError.self) { _ = try StorageReceiver(port: first.port, outputFolder: nil) }
        // Held by another process: DCMTK's bind fails on its own thread, and that must surface.
        let storescp = try #require(Processes.system("storescp"))
        let port = Processes.freePort()
        let other = try PeerProcess(storescp, ["\(port)"], port: port)
        defer { other.stop() }
        let error = #expect(throws: DicomError.self) { _ = try StorageReceiver(port: port, outputFolder: nil) }
        #expect(error?.message.hasPrefix("cannot listen on port \(port)") == true, "\(String(describing: error))")
    }

    /// A sender that associates and then falls silent (its link vanished without closing) is dropped after
    /// the idle timeout, and kept within it. pynetdicom holds the association and then looks at it.
    @Test func aSilentAssociationIsDroppedAfterTheIdleTimeout() throws {
        let python = try #require(Processes.which("python3"))
        let script = """
            import sys, time
            from pynetdicom import AE
            ae = AE(ae_title="SILENT")
            ae.add_requested_context("1.2.840.10008.1.1")
            association = ae.associate("127.0.0.1", int(sys.argv[1]), ae_title="TELERAD")
            time.sleep(3)
            print("established" if association.is_established else "dropped")
            if association.is_established: association.release()
            """
        for (idle, expected) in [(1, "dropped"), (30, "established")] {
            let receiver = try StorageReceiver(port: Processes.freePort(), outputFolder: nil, idleTimeoutSeconds: idle)
            defer { receiver.stop() }
            let result = try Processes.run(python, ["-c", script, "\(receiver.port)"])
            #expect(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == expected, "idle \(idle) s: \(result.stderr)")
        }
    }
}
