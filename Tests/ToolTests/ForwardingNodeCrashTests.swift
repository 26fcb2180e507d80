import DicomCore
import Foundation
import TestSupport
import Testing

/// The forwarding node of the README, with a real Orthanc as the hub: killed (SIGKILL, the whole node at once)
/// in the middle of a study and restarted, it ends with exactly the study at the hub, de-identified and
/// compressed, checked through Orthanc's REST API.
@Suite struct ForwardingNodeCrashTests {
    /// The README's node script, with the hub and the node's port as arguments.
    static let node = """
        set -euo pipefail
        hub=$1 port=$2
        mkdir -p node && { [ -p node/arrivals ] || mkfifo node/arrivals; }
        dcm-send --listen "$port" --aet NODE -o node/inbox --print-paths > node/arrivals &
        { find node/inbox -name '*.dcm' 2>/dev/null || true; cat node/arrivals; } |
            dcm-anon --key-file site.key --files-from - --print-paths --name-by-study -o node/anon -q |
            dcm-compress --codec jpeg-ls --files-from - --print-paths -o node/out -q |
            dcm-send --calling-aet NODE --journal node/sent.journal --files-from - "$hub"
        """

    @Test func aNodeKilledMidStudyAndRestartedDeliversExactlyTheStudy() throws {
        let orthanc = try OrthancPeer()
        defer { orthanc.stop() }
        let work = try TestPaths.temporaryFolder("node-crash")
        defer { try? FileManager.default.removeItem(at: work) }
        let bash = try #require(Processes.system("bash"))
        try Self.node.write(to: work.appendingPathComponent("node.sh"), atomically: true, encoding: .utf8)
        try String(repeating: "4f", count: 32).write(to: work.appendingPathComponent("site.key"), atomically: true, encoding: .utf8)
        chmod(work.appendingPathComponent("site.key").path, 0o600)
        let scanner = work.appendingPathComponent("scanner")
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.02", "--seed", "8", "-o", scanner.path]).status == 0)
        let files = try FileManager.default.subpathsOfDirectory(atPath: scanner.path).filter { $0.hasSuffix(".dcm") }.sorted()
        let path = "PATH='\(Processes.binFolder.path)':\"$PATH\"; cd '\(work.path)'; "
        let port = 11117  // inside Orthanc's own network namespace: nothing else listens there

        // The node in a process group of its own (setsid), so that one signal kills all of it.
        let pidFile = work.appendingPathComponent("node.pid")
        func killNode() {
            let group = (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let group, group > 1 { kill(-group, SIGKILL) }
        }
        defer { killNode() }
        func startNode() throws {
            // Started without pipes to the test: the node outlives the shell that starts it.
            _ = try orthanc.start(bash, ["-c", path + "setsid bash node.sh ORTHANC@127.0.0.1:\(orthanc.dicomPort) \(port) "
                                         + "</dev/null >>node.log 2>&1 & echo $! > node.pid"], port: port)
        }
        try startNode()
        // The scanner: one image every 0.1 s, through dcm-send, which holds its queue while the node is down.
        let feed = files.map { "echo '\(scanner.appendingPathComponent($0).path)'; sleep 0.1" }.joined(separator: "; ")
        let scan = try orthanc.start(bash, ["-c", path + "{ \(feed); } | dcm-send --retries 1 --calling-aet CT01 --files-from - "
                                           + "NODE@127.0.0.1:\(port) > scanner.log 2>&1"], port: nil)
        // Killed once a third of the study has reached the hub.
        try waitUntil(seconds: 30) { (try orthanc.rest("/instances") as? [String])?.count ?? 0 >= files.count / 3 }
        killNode()
        let atKill = (try orthanc.rest("/instances") as? [String])?.count ?? 0
        #expect(atKill < files.count, "the study was still coming when the node died")
        Thread.sleep(forTimeInterval: 1)
        try startNode()
        scan.waitUntilExit()
        let scannerLog = (try? String(contentsOf: work.appendingPathComponent("scanner.log"), encoding: .utf8)) ?? ""
        #expect(scan.terminationStatus == 0, "\(scannerLog)")
        try waitUntil(seconds: 60) { (try orthanc.rest("/instances") as? [String])?.count ?? 0 >= files.count }

        // Exactly the study: the de-identified UIDs the site key gives (dcm-anon run again apart), each once.
        let check = work.appendingPathComponent("check")
        #expect(try Processes.tool("dcm-anon", ["--key-file", work.appendingPathComponent("site.key").path, "--name-by-study", "-q",
                                                "-o", check.path, scanner.path]).status == 0)
        let expected = Set(try FileManager.default.subpathsOfDirectory(atPath: check.path).filter { $0.hasSuffix(".dcm") }.map {
            try #require(try DicomObject(contentsOf: check.appendingPathComponent($0)).string(.sopInstanceUID))
        })
        let instances = try #require(try orthanc.rest("/instances?expand") as? [[String: Any]])
        let atHub = instances.compactMap { ($0["MainDicomTags"] as? [String: Any])?["SOPInstanceUID"] as? String }
        #expect(expected.count == files.count && atHub.count == files.count && Set(atHub) == expected)
        for instance in instances.prefix(3) {
            let id = try #require(instance["ID"] as? String)
            #expect(try orthanc.rest("/instances/\(id)/metadata/TransferSyntax") as? String == TransferSyntax.jpegLSLossless.uid)
        }
        let original = try DicomObject(contentsOf: scanner.appendingPathComponent(files[0]))
        let patients = try #require(try orthanc.rest("/patients?expand") as? [[String: Any]])
        let names = patients.compactMap { ($0["MainDicomTags"] as? [String: Any])?["PatientName"] as? String }
        let originalName = try original.string(.patientName)
        #expect(names.count == 1 && names[0] != originalName, "\(names)")
    }

    func waitUntil(seconds: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? condition()) == true { return }
            usleep(200_000)
        }
        Issue.record("not reached within \(seconds) s")
    }
}
