import DicomCore
import DicomNetwork
import Foundation
import Locking
import TestSupport
import Testing

/// The batch tools in a pipe as a forwarding node runs them: each path is worked on as its line arrives,
/// each output's path comes out once the output is on disk, a bad line is one error and the stream goes on,
/// and a tool whose reader died stops cleanly.
@Suite struct StreamingPipeTests {
    /// A running tool fed line by line, its stdout read as it comes.
    final class Feeder: Sendable {
        let process = Process()
        private let input = Pipe()
        private let lines = Locked<[String]>([])
        private let errors = Locked(Data())

        init(_ tool: String, _ arguments: [String]) throws {
            process.executableURL = Processes.binFolder.appendingPathComponent(tool)
            process.arguments = arguments
            let output = Pipe(), errorPipe = Pipe()
            (process.standardInput, process.standardOutput, process.standardError) = (input, output, errorPipe)
            try process.run()
            Thread { [lines] in
                var pending = Data()
                while case let chunk = output.fileHandleForReading.availableData, !chunk.isEmpty {
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: 0x0A) {
                        let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                        pending.removeSubrange(pending.startIndex...newline)
                        lines.withLock { $0.append(line) }
                    }
                }
            }.start()
            Thread { [errors] in
                let data = errorPipe.fileHandleForReading.readDataToEndOfFile()
                errors.withLock { $0 = data }
            }.start()
        }

        func send(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

        /// Waits (at most `seconds`) until stdout has `count` lines.
        func waitForLines(_ count: Int, seconds: Double = 20) -> [String] {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let current = lines.withLock { $0 }
                if current.count >= count { return current }
                usleep(20_000)
            }
            return lines.withLock { $0 }
        }

        func finish() -> (status: Int32, stderr: String) {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            usleep(100_000)
            return (process.terminationStatus, String(decoding: errors.withLock { $0 }, as: UTF8.self))
        }
    }

    static let samples = ["CT_small.dcm", "MR_small.dcm", "emri_small.dcm"].map { TestPaths.dicomSamples.appendingPathComponent($0).path }

    /// A feeder that gives one path at a time and waits: every output comes out before the next path is
    /// given (a tool that read the whole list first would print nothing and the wait would time out).
    @Test func eachOutputComesOutBeforeTheEndOfInput() throws {
        let out = try TestPaths.temporaryFolder("stream")
        defer { try? FileManager.default.removeItem(at: out) }
        let tool = try Feeder("dcm-compress", ["--codec", "rle", "-o", out.path, "--files-from", "-", "--print-paths", "-j", "2"])
        var printed: [String] = []
        for (index, sample) in Self.samples.enumerated() {
            tool.send(sample)
            printed = tool.waitForLines(index + 1)
            #expect(printed.count == index + 1, "no output for \(sample) before the end of input")
            guard let path = printed.last else { break }
            // The printed path is already a whole, readable object.
            #expect(try DicomObject(contentsOf: URL(fileURLWithPath: path)).transferSyntax == .rleLossless)
            if index == 0 { tool.send(out.path + "/no-such-input.dcm") }  // a bad line: one error, the stream goes on
        }
        let (status, errors) = tool.finish()
        #expect(status == 1, "one input was missing")
        #expect(errors.split(separator: "\n").filter { $0.contains("no-such-input.dcm") }.count == 1, "\(errors)")
        #expect(Set(printed).count == Self.samples.count)
    }

    /// dcm-anon | dcm-compress through a pipe: what comes out is de-identified and compressed.
    @Test func deidentifyThenCompressThroughAPipe() throws {
        let work = try TestPaths.temporaryFolder("stream-pipe")
        defer { try? FileManager.default.removeItem(at: work) }
        let bin = Processes.binFolder.path
        let script = """
            set -o pipefail
            printf '%s\\n' \(Self.samples.map { "'\($0)'" }.joined(separator: " ")) \
              | '\(bin)/dcm-anon' --random-key --files-from - --print-paths -o '\(work.path)/anon' -q \
              | '\(bin)/dcm-compress' --codec jpeg-ls --files-from - --print-paths -o '\(work.path)/out' -q
            """
        let result = try Processes.run(URL(fileURLWithPath: "/bin/bash"), ["-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        let outputs = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(outputs.count == Self.samples.count)
        for path in outputs {
            let object = try DicomObject(contentsOf: URL(fileURLWithPath: path))
            #expect(object.transferSyntax == .jpegLSLossless)
            #expect(try object.string(Tag(0x0012, 0x0062)) == "YES", "Patient Identity Removed")
        }
    }

    /// The reader of the paths dies after the first one: the tool says why once and exits 1, leaves no
    /// partial file, and does not go on through its inputs.
    @Test func aDeadReaderStopsThePipeCleanly() throws {
        let work = try TestPaths.temporaryFolder("stream-dead")
        defer { try? FileManager.default.removeItem(at: work) }
        let list = work.appendingPathComponent("list.txt")
        let inputs = (0..<40).map { _ in Self.samples[0] }
        // The same input forty times would collide on one output name: give each its own name by folder.
        var lines: [String] = []
        for (index, input) in inputs.enumerated() {
            let folder = work.appendingPathComponent("in/\(index)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let copy = folder.appendingPathComponent("CT.dcm")
            try FileManager.default.copyItem(atPath: input, toPath: copy.path)
            lines.append("in/\(index)/CT.dcm")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: list, atomically: true, encoding: .utf8)
        let bin = Processes.binFolder.path
        let script = """
            cd '\(work.path)'
            '\(bin)/dcm-compress' --codec rle -j 1 --files-from list.txt --print-paths -o out | head -n 1 >/dev/null
            echo "status=${PIPESTATUS[0]}" >&2
            """
        let result = try Processes.run(URL(fileURLWithPath: "/bin/bash"), ["-c", script])
        #expect(result.stderr.contains("status=1"), "\(result.stderr)")
        #expect(result.stderrLines.filter { $0.contains("stdout is closed") }.count == 1, "\(result.stderr)")
        let written = try FileManager.default.subpathsOfDirectory(atPath: work.appendingPathComponent("out").path)
        #expect(!written.contains { $0.split(separator: "/").last?.hasPrefix(".") == true }, "no temporary file left: \(written)")
        #expect(written.filter { $0.hasSuffix(".dcm") }.count < inputs.count, "it stopped before the end of its inputs")
    }

    /// The receiver announces: each stored object's path as it lands, then one "# stable study" line per
    /// study once nothing of it arrived for the quiet time; the next tool skips those notices.
    @Test func theReceiverPrintsPathsThenStableStudies() throws {
        let work = try TestPaths.temporaryFolder("stream-receiver")
        defer { try? FileManager.default.removeItem(at: work) }
        let port = Processes.freePort()
        let receiver = try Feeder("dcm-send", ["--listen", "\(port)", "--bind", "127.0.0.1", "--aet", "NODE", "-o", work.appendingPathComponent("inbox").path,
                                               "--print-paths", "--stable-after", "1"])
        for _ in 0..<100 where !LoopbackProbe.accepts(port) { usleep(50_000) }
        let send = try Processes.tool("dcm-send", ["NODE@127.0.0.1:\(port)"] + Self.samples)
        #expect(send.status == 0, "\(send.stderr)")
        let studies = Set(try Self.samples.map { try DicomObject(contentsOf: URL(fileURLWithPath: $0)).string(.studyInstanceUID) ?? "" })
        let lines = receiver.waitForLines(Self.samples.count + studies.count, seconds: 15)
        let paths = lines.filter { !$0.hasPrefix("#") }, notices = lines.filter { $0.hasPrefix("# stable study ") }
        #expect(paths.count == Self.samples.count, "\(lines)")
        for path in paths { #expect(FileManager.default.fileExists(atPath: path), "\(path) printed before it was on disk") }
        #expect(Set(notices.compactMap { $0.split(separator: " ").dropFirst(3).first.map { String($0.dropLast()) } }) == studies, "\(notices)")
        // Every stable line comes after the paths of its study.
        #expect(lines.firstIndex { $0.hasPrefix("#") }! >= Self.samples.count - 1)

        // The next tool takes the receiver's output as it is: paths worked on, notices skipped.
        let list = work.appendingPathComponent("list.txt")
        try (lines.joined(separator: "\n") + "\n").write(to: list, atomically: true, encoding: .utf8)
        let compress = try Processes.tool("dcm-compress", ["--codec", "rle", "--files-from", list.path, "-o", work.appendingPathComponent("out").path])
        #expect(compress.status == 0, "\(compress.stderr)")

        kill(receiver.process.processIdentifier, SIGTERM)
        #expect(receiver.finish().status == 0)
    }

    @Test func printPathsExcludesJsonAndDryRuns() throws {
        let json = try Processes.tool("dcm-compress", ["--json", "--print-paths", "-o", "/tmp/x", Self.samples[0]])
        #expect(json.status == 2 && json.stderr.contains("--print-paths and --json"))
        let dry = try Processes.tool("dcm-anon", ["--random-key", "--dry-run", "--print-paths", Self.samples[0]])
        #expect(dry.status == 2 && dry.stderr.contains("dry run"), "\(dry.stderr)")
    }
}

/// dcm-send fed a path at a time: each file is stored before the next path is given, on one association
/// kept open between files; idle longer than --idle-release, the association is released and opened again.
@Suite struct StreamingSendTests {
    /// CT, MR, then another MR image (the same SOP class).
    static let samples = ["CT_small.dcm", "MR_small.dcm", "MR2_UNCR.dcm"].map { TestPaths.dicomSamples.appendingPathComponent($0).path }

    @Test func eachFileIsSentAsItsLineArrivesOnOneAssociation() throws {
        let inbox = try TestPaths.temporaryFolder("stream-send")
        defer { try? FileManager.default.removeItem(at: inbox) }
        let receiver = try StorageReceiver(port: Processes.freePort(), outputFolder: inbox)
        defer { receiver.stop() }
        let journal = inbox.appendingPathComponent("sent.journal").path
        let arguments = ["--json", "--associations", "1", "--idle-release", "1", "--journal", journal, "--files-from", "-",
                         "TELERAD@127.0.0.1:\(receiver.port)"]
        let sender = try StreamingPipeTests.Feeder("dcm-send", arguments)
        for (index, sample) in Self.samples.enumerated() {
            sender.send(sample)
            let lines = sender.waitForLines(index + 1)
            #expect(lines.count == index + 1 && lines.last?.contains("\"status\":\"stored\"") == true,
                    "\(sample) not stored before the end of input: \(lines)")
            #expect(receiver.storedCount == index + 1)
        }
        Thread.sleep(forTimeInterval: 2)  // idle past --idle-release: the association is released
        sender.send(Self.samples[0])      // already confirmed: skipped, no association needed
        sender.send(TestPaths.dicomSamples.appendingPathComponent("rtplan.dcm").path)
        let (status, errors) = sender.finish()
        #expect(status == 0, "\(errors)")
        let lines = sender.waitForLines(Self.samples.count + 3)
        let summary = try #require(lines.last.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? nil)
        #expect(summary["stored"] as? Int == Self.samples.count + 1 && summary["skipped"] as? Int == 1, "\(summary)")
        // CT, then MR (negotiated again: CT's contexts plus MR's), the second MR image on the same association;
        // after the idle release one more, for the RT plan.
        #expect(summary["associations"] as? Int == 3, "\(summary)")
    }

    /// The hub is down when the study comes: the files wait in the queue (one line says so) and go as soon
    /// as the hub listens; none fails.
    @Test func aPeerThatIsDownHoldsTheQueueUntilItIsBack() throws {
        let inbox = try TestPaths.temporaryFolder("stream-hold")
        defer { try? FileManager.default.removeItem(at: inbox) }
        let port = Processes.freePort()
        let sender = try StreamingPipeTests.Feeder("dcm-send", ["--json", "--retries", "1", "--associations", "2", "--files-from", "-",
                                                                "TELERAD@127.0.0.1:\(port)"])
        Self.samples.forEach(sender.send)
        Thread.sleep(forTimeInterval: 3)  // past the retries: held
        #expect(sender.waitForLines(1, seconds: 0).isEmpty, "nothing is reported while the hub is down")
        let receiver = try StorageReceiver(port: port, outputFolder: inbox)
        defer { receiver.stop() }
        let (status, errors) = sender.finish()
        #expect(status == 0, "\(errors)")
        #expect(receiver.storedCount == Self.samples.count)
        let lines = errors.split(separator: "\n")
        #expect(lines.filter { $0.contains("cannot be reached") && $0.contains("holding") }.count == 1, "\(errors)")
        #expect(lines.filter { $0.contains("reachable again") }.count == 1, "\(errors)")
        #expect(!errors.contains("failed"), "\(errors)")
    }

    /// With --hold, the wait has an end: each file then fails with the cause, exit 3 (nothing reached it).
    @Test func theHoldEnds() throws {
        let sender = try StreamingPipeTests.Feeder("dcm-send", ["--retries", "0", "--hold", "1", "--files-from", "-",
                                                                "TELERAD@127.0.0.1:\(Processes.freePort())"])
        Self.samples.forEach(sender.send)
        let (status, errors) = sender.finish()
        #expect(status == 3, "\(errors)")
        for sample in Self.samples {
            #expect(errors.split(separator: "\n").contains { $0.hasPrefix("dcm-send: \(sample): ") && $0.contains("Connection refused") }, "\(errors)")
        }
    }
}
