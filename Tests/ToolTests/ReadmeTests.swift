import DicomCore
import DicomNetwork
import Foundation
import TestSupport
import Testing

/// The README's "How they compose" commands run as printed (except the one needing a remote PACS).
@Suite struct ReadmeTests {
    @Test func composeExampleRunsAsPrinted() throws {
        let readme = try String(contentsOf: TestPaths.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## How they compose").last)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let commands = block.split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("#") && !$0.isEmpty && !$0.contains("pacs.example.org") }
        #expect(commands.count >= 5)
        let work = try TestPaths.temporaryFolder("readme")
        defer { try? FileManager.default.removeItem(at: work) }
        for command in commands {
            // A trailing comment "exit N" documents an expected non-zero status.
            let expected: Int32 = command.range(of: #"# exit (\d+)"#, options: .regularExpression)
                .map { Int32(command[$0].dropFirst(7))! } ?? 0
            let result = try Processes.run(
                URL(fileURLWithPath: "/bin/sh"),
                ["-c", "cd '\(work.path)' && PATH='\(Processes.binFolder.path)':\"$PATH\" && \(command)"])
            #expect(result.status == expected, "\(command): \(result.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("study-raw/study-jls/3_CTP/IM00050.dcm").path))
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("slice.dcm").path))
    }
}

/// The README's tutorials run as printed, each in an empty folder with the built tools on PATH; then what
/// each promised is checked.
@Suite(.serialized) struct TutorialTests {
    static func tutorial(_ title: String) throws -> String {
        let readme = try String(contentsOf: TestPaths.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "\n## Tutorials\n").last?.components(separatedBy: "\n## ").first)
        let part = try #require(section.components(separatedBy: "\n### ").first { $0.hasPrefix(title) })
        return try #require(part.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "\n```").first)
    }

    /// Runs a tutorial under `bash -e`; background stand-ins are stopped whatever happens.
    static func run(_ title: String) throws -> (work: URL, output: String) {
        let script = try tutorial(title)
        // The stand-ins listen on the fixed ports the README prints: a leftover listener would answer instead.
        for port in [11112, 11113, 11114, 11115, 11116] where script.contains("\(port)") {
            try #require(!LoopbackProbe.accepts(UInt16(port)), "port \(port) is already in use: a stand-in left from another run?")
        }
        let work = try TestPaths.temporaryFolder("tutorial")
        let result = try Processes.run(
            URL(fileURLWithPath: "/bin/bash"),
            ["-c", "set -e; trap 'kill $(jobs -p) 2>/dev/null || true' EXIT; cd '\(work.path)'; "
                + "PATH='\(Processes.binFolder.path)':\"$PATH\"\n" + script])
        #expect(result.status == 0, "\(title): \(result.stderr.suffix(1500))")
        return (work, result.stdoutText + result.stderr)
    }

    static func files(_ folder: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { !$0.hasPrefix(".") } ?? []
    }

    @Test func sysadmin() throws {
        let (work, output) = try Self.run("The sysadmin")
        defer { try? FileManager.default.removeItem(at: work) }
        // Scale 0.02: 1 + 8 + 20 images, each de-identified, sent once and confirmed once.
        #expect(Self.files(work.appendingPathComponent("pacs-inbox")).count == 29)
        let journal = try String(contentsOf: work.appendingPathComponent("sent.journal"), encoding: .utf8)
        let uids = journal.split(separator: "\n").map { $0.split(separator: "\t")[0] }
        #expect(Set(uids).count == 29 && uids.count == 29)
        #expect(output.contains("nothing to do") && output.contains("29 already confirmed"), "\(output)")
    }

    /// The forwarding node: the study reaches the hub once, de-identified and compressed; the restart reads
    /// the inbox again and the journal sends nothing twice.
    @Test func forwardingNode() throws {
        let (work, output) = try Self.run("The sysadmin, again")
        defer { try? FileManager.default.removeItem(at: work) }
        let hub = work.appendingPathComponent("hub-inbox")
        #expect(Self.files(hub).count == 29, "\(output.suffix(1500))")
        for name in Self.files(hub).prefix(3) {
            #expect(try DicomObject(contentsOf: hub.appendingPathComponent(name)).transferSyntax == .jpegLSLossless)
        }
        // Each instance stored once and committed by the hub (our receiver as provider), the compressed
        // copies removed once committed.
        let journal = try String(contentsOf: work.appendingPathComponent("node/sent.journal"), encoding: .utf8)
        let lines = journal.split(separator: "\n").map { $0.split(separator: "\t") }
        let stored = lines.filter { $0.count == 2 }.map { $0[0] }, committed = lines.filter { $0.last == "committed" }.map { $0[0] }
        #expect(Set(stored).count == 29 && stored.count == 29 && Set(committed) == Set(stored), "\(journal.suffix(500))")
        #expect(output.contains("0 stored, 29 already confirmed"), "\(output.suffix(1500))")
        let left = FileManager.default.enumerator(atPath: work.appendingPathComponent("node/out").path)?.allObjects as? [String] ?? []
        #expect(!left.contains { $0.hasSuffix(".dcm") }, "committed copies removed: \(left.prefix(3))")
    }

    @Test func networkEngineer() throws {
        let (work, output) = try Self.run("The network engineer")
        defer { try? FileManager.default.removeItem(at: work) }
        let strategies = try String(contentsOf: work.appendingPathComponent("strategies.csv"), encoding: .utf8)
        #expect(strategies.split(separator: "\n").count >= 5, "\(strategies)")
        // The probe's bulk send stores generated test images (invented identities) there too; the study
        // itself went once, whole.
        #expect(Self.files(work.appendingPathComponent("island-inbox")).count >= 29)
        #expect(output.contains("29 stored, 0 already confirmed, 0 failed"), "\(output.suffix(800))")
        #expect(output.contains("jpeg-ls"), "the codec choice is explained")
    }

    @Test func rotaManager() throws {
        let (work, output) = try Self.run("The rota manager")
        defer { try? FileManager.default.removeItem(at: work) }
        let published = Self.files(work.appendingPathComponent("public"))
        #expect(published.count == 10 && published.contains("all.ics"), "\(published)")
        let repaired = try String(contentsOf: work.appendingPathComponent("rota-v2/rota.csv"), encoding: .utf8)
        let week = ["2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"]
        let sick = repaired.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .filter { $0.count > 3 && week.contains(String($0[0])) }
        #expect(sick.count >= 10 && !sick.contains { $0[3] == "R3" }, "R3 has no duty during the sick week")
        #expect(output.contains("2027-05-17\tLundi de Pentecôte"), "the holidays are listed")
    }
}
