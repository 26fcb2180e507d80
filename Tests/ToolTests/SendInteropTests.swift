import DicomCore
import Foundation
import TestSupport
import Testing

/// dcm-send against other real receivers.
@Suite struct SendInteropTests {
    /// Orthanc accepts JPEG-LS when it is proposed in a context of its own: the study arrives compressed
    /// (dcmsend, proposing both syntaxes in one context, gets them decompressed), every instance once.
    @Test func orthancReceivesTheJPEGLSStudyCompressedAndComplete() throws {
        let orthanc = try OrthancPeer()
        defer { orthanc.stop() }
        let work = try TestPaths.temporaryFolder("orthanc-send")
        defer { try? FileManager.default.removeItem(at: work) }
        let study = work.appendingPathComponent("study"), jls = work.appendingPathComponent("jls")
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.005", "-o", study.path]).status == 0)
        #expect(try Processes.tool("dcm-compress", ["--codec", "jpeg-ls", "-o", jls.path, study.path]).status == 0)
        let files = try FileManager.default.subpathsOfDirectory(atPath: jls.path).filter { $0.hasSuffix(".dcm") }
        let send = try orthanc.run(Processes.binFolder.appendingPathComponent("dcm-send"),
                                   ["--journal", work.appendingPathComponent("journal").path,
                                    "\(orthanc.aeTitle)@127.0.0.1:\(orthanc.dicomPort)", jls.path])
        #expect(send.status == 0, "\(send.stderr)")
        let instances = try #require(try orthanc.rest("/instances") as? [String])
        #expect(instances.count == files.count)
        for id in instances {
            #expect(try orthanc.rest("/instances/\(id)/metadata/TransferSyntax") as? String == TransferSyntax.jpegLSLossless.uid)
        }
        // A rerun with the journal sends nothing more.
        let again = try orthanc.run(Processes.binFolder.appendingPathComponent("dcm-send"),
                                    ["--journal", work.appendingPathComponent("journal").path,
                                     "\(orthanc.aeTitle)@127.0.0.1:\(orthanc.dicomPort)", jls.path])
        #expect(again.status == 0 && again.stderr.contains("0 stored, \(files.count) already confirmed"))
    }

    /// A peer that sleeps longer than the DIMSE timeout: the sender gives up on that association,
    /// retries, and reports every file it could not confirm; nothing is claimed stored.
    @Test func aPeerThatNeverAnswersInTimeIsReportedNotTrusted() throws {
        let storescp = try #require(Processes.system("storescp"))
        let work = try TestPaths.temporaryFolder("slow-peer")
        defer { try? FileManager.default.removeItem(at: work) }
        let port = Processes.freePort()
        let peer = try PeerProcess(storescp, ["--sleep-during", "6", "--output-directory", work.path, "\(port)"], port: port)
        defer { peer.stop() }
        let file = TestPaths.dicomSamples.appendingPathComponent("MR_small.dcm").path
        let start = Date()
        let result = try Processes.tool("dcm-send", ["--timeout", "2", "--retries", "0", "--json", "SLOW@127.0.0.1:\(port)", file])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderrLines.first?.hasPrefix("dcm-send: \(file): ") == true)
        #expect(!result.stdoutText.contains("\"status\":\"stored\""))
        #expect(Date().timeIntervalSince(start) < 20)
    }

    /// pynetdicom's storage SCP (bound to 127.0.0.1) receives every instance with identical pixels.
    @Test func pynetdicomReceivesEveryInstance() throws {
        let python = try #require(Processes.which("python3"))
        let work = try TestPaths.temporaryFolder("pynetdicom")
        defer { try? FileManager.default.removeItem(at: work) }
        let inbox = work.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let script = """
            import sys
            from pynetdicom import AE, evt, AllStoragePresentationContexts
            def store(event):
                ds = event.dataset
                ds.file_meta = event.file_meta
                ds.save_as(f"{sys.argv[2]}/{ds.SOPInstanceUID}.dcm", enforce_file_format=True)
                return 0x0000
            ae = AE(ae_title="PYNET")
            ae.supported_contexts = AllStoragePresentationContexts
            ae.start_server(("127.0.0.1", int(sys.argv[1])), block=True, evt_handlers=[(evt.EVT_C_STORE, store)])
            """
        let scriptFile = work.appendingPathComponent("scp.py")
        try script.write(to: scriptFile, atomically: true, encoding: .utf8)
        let port = Processes.freePort()
        let peer = try PeerProcess(python, [scriptFile.path, "\(port)", inbox.path], port: port)
        defer { peer.stop() }
        let study = work.appendingPathComponent("study")
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.005", "-o", study.path]).status == 0)
        let result = try Processes.tool("dcm-send", ["--associations", "2", "PYNET@127.0.0.1:\(port)", study.path])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: study.path).filter { $0.hasSuffix(".dcm") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path).count == files.count)
        for file in files {
            let original = try DicomObject(contentsOf: study.appendingPathComponent(file))
            let uid = try #require(try original.string(.sopInstanceUID))
            let received = try DicomObject(contentsOf: inbox.appendingPathComponent("\(uid).dcm"))
            #expect(try received.decodedPixelData() == original.decodedPixelData())
        }
    }
}
