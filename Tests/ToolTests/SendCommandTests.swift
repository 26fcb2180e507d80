import DicomCore
import Foundation
import TestSupport
import Testing

@Suite struct SendCommandTests {
    @Test func sendsAFolderAndAFindPipeWithJSONAndAJournal() throws {
        let work = try TestPaths.temporaryFolder("send-cli")
        defer { try? FileManager.default.removeItem(at: work) }
        let study = work.appendingPathComponent("study"), inbox = work.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.005", "-o", study.path]).status == 0)
        let storescp = try #require(Processes.system("storescp"))
        let port = Processes.freePort()
        let peer = try PeerProcess(storescp, ["--output-directory", inbox.path, "\(port)"], port: port)
        defer { peer.stop() }
        let journal = work.appendingPathComponent("journal.txt").path

        let sent = try Processes.tool("dcm-send", ["--json", "--calling-aet", "ME", "--associations", "2", "--journal", journal,
                                                   "ANY-SCP@127.0.0.1:\(port)", study.path])
        #expect(sent.status == 0, "\(sent.stderr)")
        let events = try sent.stdoutText.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let files = try FileManager.default.subpathsOfDirectory(atPath: study.path).filter { $0.hasSuffix(".dcm") }
        #expect(events.filter { $0["status"] as? String == "stored" }.count == files.count)
        #expect(events.last?["summary"] as? Bool == true && events.last?["associations"] as? Int == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path).count == files.count)

        // As a sysadmin pipes it: everything is already confirmed, so nothing is sent and the exit is 0.
        let again = try Processes.run(URL(fileURLWithPath: "/bin/sh"), ["-c",
            "find '\(study.path)' -name '*.dcm' | '\(Processes.binFolder.path)/dcm-send' --journal '\(journal)' --files-from - ANY-SCP@127.0.0.1:\(port)"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("0 stored, \(files.count) already confirmed, 0 failed"))
    }

    @Test func unreachablePeerExits3AndListsEveryFile() throws {
        let files = ["CT_small.dcm", "MR_small.dcm"].map { TestPaths.dicomSamples.appendingPathComponent($0).path }
        let result = try Processes.tool("dcm-send", ["--retries", "0", "PEER@127.0.0.1:\(Processes.freePort())"] + files)
        #expect(result.status == 3)
        for file in files { #expect(result.stderrLines.contains { $0.hasPrefix("dcm-send: \(file): ") && $0.contains("Connection refused") }) }
    }

    /// Each phase has its own limit: behind a link whose answers take 20 s, a 1 s association timeout ends
    /// the attempt in about a second however long the other limits are, and says which limit it was.
    @Test func theAssociationTimeoutIsItsOwn() throws {
        let inbox = try TestPaths.temporaryFolder("timeouts")
        defer { try? FileManager.default.removeItem(at: inbox) }
        let port = Processes.freePort(), linkPort = Processes.freePort()
        let receiver = try PeerProcess(
            Processes.binFolder.appendingPathComponent("dcm-send"), ["--listen", "\(port)", "-q", "-o", inbox.path], port: port)
        defer { receiver.stop() }
        let link = try PeerProcess(
            Processes.binFolder.appendingPathComponent("transfer-bench"),
            ["shape", "--link", "1gbit/20s", "--to", "127.0.0.1:\(port)", "--listen", "\(linkPort)", "-q"], port: linkPort)
        defer { link.stop() }
        let started = Date()
        let result = try Processes.tool("dcm-send", [
            "--timeout", "60", "--association-timeout", "1", "--retries", "0", "PEER@127.0.0.1:\(linkPort)",
            TestPaths.dicomSamples.appendingPathComponent("CT_small.dcm").path,
        ])
        #expect(result.status == 3)
        #expect(result.stderr.contains("no answer within 1 s (association timeout)"), "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 15, "the 60 s limits did not apply")
    }

    @Test func usageErrors() throws {
        #expect(try Processes.tool("dcm-send", ["PEER@127.0.0.1:104"]).status == 2)
        #expect(try Processes.tool("dcm-send", ["not-a-peer", "x.dcm"]).status == 2)
        #expect(try Processes.tool("dcm-send", ["--echo", "P@h:1", "P@h:1", "x.dcm"]).status == 2)
        #expect(try Processes.tool("dcm-send", ["--associations", "0", "P@h:1", "x.dcm"]).status == 2)
    }
}
