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
        var originals: [String: [UInt8]] = [:]
        for file in files {
            let object = try DicomObject(contentsOf: study.appendingPathComponent(file))
            originals[try #require(try object.string(.sopInstanceUID))] = try object.decodedPixelData()
        }
        for id in instances {
            #expect(try orthanc.rest("/instances/\(id)/metadata/TransferSyntax") as? String == TransferSyntax.jpegLSLossless.uid)
            // What Orthanc stored decodes to the original pixels.
            let copy = work.appendingPathComponent("\(id).dcm")
            try orthanc.download("/instances/\(id)/file", to: copy)
            let stored = try DicomObject(contentsOf: copy)
            #expect(try stored.decodedPixelData() == originals[try #require(try stored.string(.sopInstanceUID))])
        }
        // A rerun with the journal sends nothing more.
        let again = try orthanc.run(Processes.binFolder.appendingPathComponent("dcm-send"),
                                    ["--journal", work.appendingPathComponent("journal").path,
                                     "\(orthanc.aeTitle)@127.0.0.1:\(orthanc.dicomPort)", jls.path])
        #expect(again.status == 0 && again.stderr.contains("0 stored, \(files.count) already confirmed"))
    }

    /// Orthanc's associations cut mid-object (the link shaper, inside Orthanc's namespace, closes every
    /// connection after 1.3 MB: about two and a half slices), no retries: some instances fail, each listed,
    /// the run exits 1; the rerun over a good link with the journal sends only those, and Orthanc ends with
    /// exactly the study.
    @Test func orthancCutMidStudyThenRerunCompletesTheSet() throws {
        let orthanc = try OrthancPeer()
        defer { orthanc.stop() }
        let work = try TestPaths.temporaryFolder("orthanc-cut")
        defer { try? FileManager.default.removeItem(at: work) }
        let study = work.appendingPathComponent("study"), journal = work.appendingPathComponent("journal").path
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.01", "-o", study.path]).status == 0)
        let files = try FileManager.default.subpathsOfDirectory(atPath: study.path).filter { $0.hasSuffix(".dcm") }
        let uids = Set(try files.map { try #require(try DicomObject(contentsOf: study.appendingPathComponent($0)).string(.sopInstanceUID)) })

        let linkPort = 11130
        let link = try orthanc.start(Processes.binFolder.appendingPathComponent("transfer-bench"), [
            "shape", "--link", "1gbit/1ms/drop-after=1300KB", "--to", "127.0.0.1:\(orthanc.dicomPort)", "--listen", "\(linkPort)", "-q",
        ], port: linkPort)
        let cut = try orthanc.run(Processes.binFolder.appendingPathComponent("dcm-send"),
                                  ["--journal", journal, "--retries", "0", "--associations", "2", "\(orthanc.aeTitle)@127.0.0.1:\(linkPort)", study.path])
        link.terminate()
        link.waitUntilExit()
        #expect(cut.status == 1, "some instances were not confirmed: exit 1, \(cut.stderr)")
        let failed = cut.stderrLines.filter { $0.hasPrefix("dcm-send: ") && !$0.contains(" stored, ") }
        let confirmed = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(!failed.isEmpty && failed.count + confirmed.count == files.count, "\(cut.stderr)")

        // The rerun goes to the same address (the journal counts per destination), now a good link.
        let goodLink = try orthanc.start(Processes.binFolder.appendingPathComponent("transfer-bench"), [
            "shape", "--link", "1gbit/1ms", "--to", "127.0.0.1:\(orthanc.dicomPort)", "--listen", "\(linkPort)", "-q",
        ], port: linkPort)
        defer { goodLink.terminate(); goodLink.waitUntilExit() }
        let rerun = try orthanc.run(Processes.binFolder.appendingPathComponent("dcm-send"),
                                    ["--journal", journal, "\(orthanc.aeTitle)@127.0.0.1:\(linkPort)", study.path])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("\(failed.count) stored, \(confirmed.count) already confirmed, 0 failed"), "\(rerun.stderr)")
        let instances = try #require(try orthanc.rest("/instances?expand") as? [[String: Any]])
        let stored = Set(instances.compactMap { ($0["MainDicomTags"] as? [String: Any])?["SOPInstanceUID"] as? String })
        #expect(instances.count == files.count && stored == uids)
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(lines.count == uids.count && Set(lines) == uids, "each instance confirmed exactly once")
    }

    /// An archive that stores only JPEG-LS: uncompressed files are compressed on the way (losslessly: the
    /// pixels that arrive decode to the originals), and each JSON event says it was transcoded.
    @Test func aPeerThatAcceptsOnlyJPEGLSGetsItCompressedOnTheWay() throws {
        let peer = try PynetdicomPeer(acceptedSyntaxes: [TransferSyntax.jpegLSLossless.uid])
        defer { peer.stop() }
        let work = try TestPaths.temporaryFolder("jls-only")
        defer { try? FileManager.default.removeItem(at: work) }
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.005", "-o", work.path]).status == 0)
        let files = try FileManager.default.subpathsOfDirectory(atPath: work.path).filter { $0.hasSuffix(".dcm") }
        let send = try Processes.tool("dcm-send", ["--json", "\(peer.aeTitle)@127.0.0.1:\(peer.port)", work.path])
        #expect(send.status == 0, "\(send.stderr)")
        let events = send.stdoutText.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["status"] as? String == "stored" }
        #expect(events.count == files.count)
        for event in events {
            #expect(event["syntax"] as? String == TransferSyntax.jpegLSLossless.uid)
            #expect(event["transcoded_from"] as? String == TransferSyntax.explicitLittleEndian.uid)
        }
        var originals: [String: [UInt8]] = [:]
        for file in files {
            let object = try DicomObject(contentsOf: work.appendingPathComponent(file))
            originals[try #require(try object.string(.sopInstanceUID))] = try object.decodedPixelData()
        }
        #expect(peer.received.count == files.count)
        for name in peer.received {
            let object = try DicomObject(contentsOf: peer.inbox.appendingPathComponent(name))
            #expect(object.transferSyntax == .jpegLSLossless)
            #expect(try object.decodedPixelData() == originals[try #require(try object.string(.sopInstanceUID))])
        }
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
        let peer = try PynetdicomPeer()
        defer { peer.stop() }
        let work = try TestPaths.temporaryFolder("pynetdicom")
        defer { try? FileManager.default.removeItem(at: work) }
        let study = work.appendingPathComponent("study")
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.005", "-o", study.path]).status == 0)
        let result = try Processes.tool("dcm-send", ["--associations", "2", "\(peer.aeTitle)@127.0.0.1:\(peer.port)", study.path])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: study.path).filter { $0.hasSuffix(".dcm") }
        #expect(peer.received.count == files.count)
        for file in files {
            let original = try DicomObject(contentsOf: study.appendingPathComponent(file))
            let uid = try #require(try original.string(.sopInstanceUID))
            let received = try DicomObject(contentsOf: peer.inbox.appendingPathComponent("\(uid).dcm"))
            #expect(try received.decodedPixelData() == original.decodedPixelData())
        }
    }

    /// Warning statuses count as stored and are reported; the exit code stays 0.
    @Test func warningStatusIsReportedAndCountsAsStored() throws {
        let peer = try PynetdicomPeer(status: 0xB007)
        defer { peer.stop() }
        let file = TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm").path
        let result = try Processes.tool("dcm-send", ["--json", "\(peer.aeTitle)@127.0.0.1:\(peer.port)", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText.contains("\"warning\":\"0xB007\""))
        #expect(result.stderr.contains("stored with warning status 0xB007"))
    }

    /// The usual mistakes, each named in one line: an unknown called AE title, a SOP class the peer does
    /// not take.
    @Test func rejectedAETitleAndUnsupportedSOPClassAreNamed() throws {
        let strict = try PynetdicomPeer(strictCalledAETitle: true)
        defer { strict.stop() }
        let ct = TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm").path
        let wrongTitle = try Processes.tool("dcm-send", ["--retries", "0", "NOT-PYNET@127.0.0.1:\(strict.port)", ct])
        #expect(wrongTitle.status == 3)
        #expect(wrongTitle.stderrLines.first?.lowercased().contains("called ae title") == true, "\(wrongTitle.stderr)")

        let ctOnly = try PynetdicomPeer(onlyCTImageStorage: true)
        defer { ctOnly.stop() }
        let mr = TestPaths.dicomSamples.appendingPathComponent("MR_small.dcm").path
        let mixed = try Processes.tool("dcm-send", ["\(ctOnly.aeTitle)@127.0.0.1:\(ctOnly.port)", ct, mr])
        #expect(mixed.status == 1)
        #expect(mixed.stderrLines.contains("dcm-send: \(mr): no presentation context accepted for SOP class MRImageStorage"), "\(mixed.stderr)")
        #expect(ctOnly.received.count == 1)
    }

    /// pynetdicom dies in the middle of the study; after a restart, the same command with the journal
    /// completes the set: every instance stored, each confirmed exactly once, none lost.
    @Test func pynetdicomCrashMidStudyThenRerunCompletesTheSet() throws {
        let work = try TestPaths.temporaryFolder("pynetdicom-crash")
        defer { try? FileManager.default.removeItem(at: work) }
        let study = work.appendingPathComponent("study"), inbox = work.appendingPathComponent("archive")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.01", "-o", study.path]).status == 0)
        let files = try FileManager.default.subpathsOfDirectory(atPath: study.path).filter { $0.hasSuffix(".dcm") }
        let journal = work.appendingPathComponent("journal").path
        let arguments = ["--associations", "1", "--retries", "1", "--journal", journal]

        let crashing = try PynetdicomPeer(dieAfter: 5, inbox: inbox)
        let first = try Processes.tool("dcm-send", arguments + ["PYNET@127.0.0.1:\(crashing.port)", study.path])
        crashing.stop()
        #expect(first.status != 0, "the archive died: this run cannot claim success")
        let confirmed = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        #expect(confirmed.count == 5 && confirmed.allSatisfy { $0.hasSuffix("\tPYNET@127.0.0.1:\(crashing.port)") })

        // The journal counts per destination: the archive comes back at its address.
        let restarted = try PynetdicomPeer(inbox: inbox, port: crashing.port)
        defer { restarted.stop() }
        let second = try Processes.tool("dcm-send", arguments + ["PYNET@127.0.0.1:\(restarted.port)", study.path])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("\(files.count - 5) stored, 5 already confirmed, 0 failed"))
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == files.count && Set(lines).count == files.count)

        // The same journal towards another archive sends it everything.
        let other = try PynetdicomPeer()
        defer { other.stop() }
        let third = try Processes.tool("dcm-send", arguments + ["OTHER@127.0.0.1:\(other.port)", study.path])
        #expect(third.status == 0 && third.stderr.contains("\(files.count) stored, 0 already confirmed, 0 failed"), "\(third.stderr)")
        #expect(other.received.count == files.count)
        #expect(restarted.received.count == files.count)
    }
}
