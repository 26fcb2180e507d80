import DicomCore
import DicomNetwork
import Foundation
import TestSupport
import Testing

/// dcm-send --commit against real providers: our own receiver, pynetdicom answering on the same association,
/// and Orthanc answering on an association of its own.
@Suite struct CommitmentTests {
    static let samples = ["CT_small.dcm", "MR_small.dcm", "rtplan.dcm"]

    /// The samples copied into a folder of their own (the tool may delete them), and their SOP Instance UIDs.
    static func outbox(_ name: String) throws -> (folder: URL, files: [String], uids: [String]) {
        let folder = try TestPaths.temporaryFolder(name)
        var files: [String] = [], uids: [String] = []
        for sample in samples {
            let file = folder.appendingPathComponent(sample)
            try FileManager.default.copyItem(at: TestPaths.dicomSamples.appendingPathComponent(sample), to: file)
            files.append(file.path)
            uids.append(try #require(try DicomObject(contentsOf: file).string(.sopInstanceUID)))
        }
        return (folder, files, uids)
    }

    static func events(_ result: Processes.Result) throws -> [[String: Any]] {
        try result.stdoutText.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    static func statuses(_ events: [[String: Any]]) -> [String: String] {
        var states: [String: String] = [:]
        for event in events {
            if let uid = event["sop_instance_uid"] as? String, let status = event["status"] as? String { states[uid] = status }
        }
        return states
    }

    /// Our receiver as provider: a file altered on its disk after it arrived is not committed (0110) and is
    /// sent again by the next run, which commits it; --remove-after-commit removes exactly the committed.
    @Test func ourReceiverCommitsWhatItKeepsUnchanged() throws {
        let (folder, files, uids) = try Self.outbox("commit-own")
        let inbox = try TestPaths.temporaryFolder("commit-own-inbox")
        defer { try? FileManager.default.removeItem(at: folder); try? FileManager.default.removeItem(at: inbox) }
        let receiver = try StorageReceiver(port: Processes.freePort(), outputFolder: inbox)
        defer { receiver.stop() }
        let peer = "TELERAD@127.0.0.1:\(receiver.port)", journal = folder.appendingPathComponent("sent.journal").path
        #expect(try Processes.tool("dcm-send", ["-q", "--journal", journal, peer] + files).status == 0)

        // The CT's copy at the receiver is altered on disk (one byte of its pixels).
        let altered = inbox.appendingPathComponent("\(uids[0]).dcm")
        let handle = try FileHandle(forUpdating: altered)
        try handle.seek(toOffset: try handle.seekToEnd() - 10)
        try handle.write(contentsOf: Data([0x5A]))
        try handle.close()

        let first = try Processes.tool("dcm-send", ["--json", "--commit", "--commit-timeout", "10", "--remove-after-commit",
                                                    "--journal", journal, peer] + files)
        #expect(first.status == 1, "\(first.stderr)")
        let states = Self.statuses(try Self.events(first))
        #expect(states == [uids[0]: "commit_failed", uids[1]: "committed", uids[2]: "committed"], "\(states)")
        #expect(first.stderr.contains("\(files[0]): not committed by \(peer): 0110 (processing failure)"), "\(first.stderr)")
        // Exactly the committed files are gone; the journal says so, line by line.
        #expect(FileManager.default.fileExists(atPath: files[0]))
        #expect(!FileManager.default.fileExists(atPath: files[1]) && !FileManager.default.fileExists(atPath: files[2]))
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix(uids[0]) && $0.hasSuffix("commit-failed\t0110 (processing failure)") })
        #expect(lines.contains { $0.hasPrefix(uids[1]) && $0.hasSuffix("\tcommitted") })

        // The rerun sends the failed one again (the altered copy gives way) and commits it.
        let second = try Processes.tool("dcm-send", ["--json", "--commit", "--commit-timeout", "10", "--remove-after-commit",
                                                     "--journal", journal, peer, files[0]])
        #expect(second.status == 0, "\(second.stderr)")
        let summary = try #require(try Self.events(second).last)
        #expect(summary["stored"] as? Int == 1 && summary["committed"] as? Int == 1 && summary["commit_failed"] as? Int == 0, "\(summary)")
        #expect(!FileManager.default.fileExists(atPath: files[0]))
    }

    /// Two sites running only this toolkit, the archive answering on an association of its own: our receiver
    /// told by --commit-peers where the sender listens, the sender taking the report with --commit-listen.
    @Test func ourReceiverReportsOnANewAssociationToTheSendersListener() throws {
        let (folder, files, uids) = try Self.outbox("commit-peers")
        let inbox = try TestPaths.temporaryFolder("commit-peers-inbox")
        defer { try? FileManager.default.removeItem(at: folder); try? FileManager.default.removeItem(at: inbox) }
        let listenPort = Processes.freePort()
        var options = StorageReceiver.Options(port: Processes.freePort(), outputFolder: inbox)
        options.commitPeers = [PeerAddress("NODE@127.0.0.1:\(listenPort)")!]
        let receiver = try StorageReceiver(options: options)
        defer { receiver.stop() }
        let result = try Processes.tool("dcm-send", ["--json", "--calling-aet", "NODE", "--commit", "--commit-listen", "\(listenPort)",
                                                     "--commit-timeout", "10", "--journal", folder.appendingPathComponent("j").path,
                                                     "TELERAD@127.0.0.1:\(receiver.port)"] + files)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.statuses(try Self.events(result)) == Dictionary(uniqueKeysWithValues: uids.map { ($0, "committed") }))
    }

    /// A forwarding node's sender never reaches the end of its input: what the archive confirmed is asked for
    /// while the stream goes on, and the committed files leave the inbox before the input ends.
    @Test func aStreamCommitsAsItGoes() throws {
        let (folder, files, uids) = try Self.outbox("commit-stream")
        let inbox = try TestPaths.temporaryFolder("commit-stream-inbox")
        defer { try? FileManager.default.removeItem(at: folder); try? FileManager.default.removeItem(at: inbox) }
        let receiver = try StorageReceiver(port: Processes.freePort(), outputFolder: inbox)
        defer { receiver.stop() }
        let sender = try StreamingPipeTests.Feeder("dcm-send", [
            "--json", "--commit", "--remove-after-commit", "--journal", folder.appendingPathComponent("sent.journal").path,
            "--files-from", "-", "TELERAD@127.0.0.1:\(receiver.port)",
        ])
        files.forEach(sender.send)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && files.contains(where: { FileManager.default.fileExists(atPath: $0) }) { usleep(100_000) }
        #expect(!files.contains { FileManager.default.fileExists(atPath: $0) }, "committed files removed before the end of input")
        #expect(sender.process.isRunning)
        let (status, errors) = sender.finish()
        #expect(status == 0, "\(errors)")
        let lines = sender.waitForLines(2 * uids.count + 1)
        let summary = try #require(lines.last.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(summary["committed"] as? Int == uids.count && summary["removed"] as? Int == uids.count, "\(summary)")
    }

    /// pynetdicom as the provider, answering on the association that asked (after its N-ACTION response);
    /// a provider that never answers leaves the request pending (exit 1); a run killed while it waits leaves
    /// it asked in the journal; the rerun asks again without sending anything twice.
    @Test func pynetdicomAnswersOnTheSameAssociationAndARerunCollectsWhatWasPending() throws {
        let (folder, files, uids) = try Self.outbox("commit-pynet")
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = folder.appendingPathComponent("sent.journal").path
        let silent = try PynetdicomPeer(commitment: .never)
        let silentPeer = "\(silent.aeTitle)@127.0.0.1:\(silent.port)"
        let waiting = try Processes.tool("dcm-send", ["--json", "--commit", "--commit-timeout", "2", "--journal", journal, silentPeer] + files)
        #expect(waiting.status == 1, "\(waiting.stderr)")
        #expect(Set(Self.statuses(try Self.events(waiting)).values) == ["commit_pending"])
        // Asked again, and killed while it waits for the answer.
        let killed = Process()
        killed.executableURL = Processes.binFolder.appendingPathComponent("dcm-send")
        killed.arguments = ["-q", "--commit", "--commit-timeout", "60", "--journal", journal, silentPeer] + files
        (killed.standardOutput, killed.standardError) = (FileHandle.nullDevice, FileHandle.nullDevice)
        try killed.run()
        let asked = { (try? String(contentsOfFile: journal, encoding: .utf8))?.split(separator: "\n").filter { $0.contains("commit-requested") }.count ?? 0 }
        let deadline = Date().addingTimeInterval(20)
        while asked() < 2 * uids.count && Date() < deadline { usleep(100_000) }
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(asked() == 2 * uids.count, "the second run asked before it died")
        silent.stop()

        let answering = try PynetdicomPeer(commitment: .sameAssociation, inbox: silent.inbox, port: silent.port)
        defer { answering.stop() }
        let rerun = try Processes.tool("dcm-send", ["--json", "--commit", "--commit-timeout", "10", "--journal", journal, silentPeer] + files)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let events = try Self.events(rerun)
        #expect(Self.statuses(events) == Dictionary(uniqueKeysWithValues: uids.map { ($0, "committed") }))
        #expect(events.last?["stored"] as? Int == 0 && events.last?["skipped"] as? Int == uids.count, "nothing sent twice")
    }

    /// Orthanc, the hub: it commits on an association of its own towards our --commit-listen (declared in its
    /// modalities), checked against its REST API; an instance deleted from Orthanc between store and commit
    /// comes back not committed and is sent again by the rerun.
    @Test func orthancCommitsOnItsOwnAssociation() throws {
        let listenPort = 11118  // inside Orthanc's own network namespace
        let orthanc = try OrthancPeer(modalities: ["telerad": ["NODE", "127.0.0.1", listenPort]])
        defer { orthanc.stop() }
        let (folder, files, uids) = try Self.outbox("commit-orthanc")
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = folder.appendingPathComponent("sent.journal").path
        let dcmSend = Processes.binFolder.appendingPathComponent("dcm-send")
        let hub = "\(orthanc.aeTitle)@127.0.0.1:\(orthanc.dicomPort)"
        #expect(try orthanc.run(dcmSend, ["-q", "--calling-aet", "NODE", "--journal", journal, hub] + files).status == 0)
        // One instance disappears from the archive before the commitment is asked.
        let ids = try #require(try orthanc.rest("/instances?expand") as? [[String: Any]])
        let lost = try #require(ids.first { ($0["MainDicomTags"] as? [String: Any])?["SOPInstanceUID"] as? String == uids[1] }?["ID"] as? String)
        #expect(try orthanc.delete("/instances/\(lost)"))

        let arguments = ["--json", "--calling-aet", "NODE", "--commit", "--commit-listen", "\(listenPort)", "--commit-timeout", "20",
                         "--journal", journal, hub] + files
        let first = try orthanc.run(dcmSend, arguments)
        #expect(first.status == 1, "\(first.stderr)")
        #expect(Self.statuses(try Self.events(first)) == [uids[0]: "committed", uids[1]: "commit_failed", uids[2]: "committed"],
                "\(first.stdoutText) \(first.stderr)")
        let second = try orthanc.run(dcmSend, arguments)
        #expect(second.status == 0, "\(second.stderr)")
        let events = try Self.events(second)
        #expect(events.last?["stored"] as? Int == 1 && events.last?["committed"] as? Int == uids.count, "\(events.last ?? [:])")
        let atHub = try #require(try orthanc.rest("/instances?expand") as? [[String: Any]])
        #expect(Set(atHub.compactMap { ($0["MainDicomTags"] as? [String: Any])?["SOPInstanceUID"] as? String }) == Set(uids))
    }
}
