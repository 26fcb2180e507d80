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
