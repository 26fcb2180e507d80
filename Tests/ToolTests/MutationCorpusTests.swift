import DicomCore
import Foundation
import TestSupport
import Testing

/// Over 2,000 damaged objects (Tests/Mutations/generate.py, deterministic) through the core reader,
/// dcm-compress and dcm-anon: no crash, no hang, one line per refused file, outputs only for files that succeeded.
@Suite struct MutationCorpusTests {
    @Test func damagedObjectsAreRefusedCleanly() throws {
        let python = try #require(Processes.which("python3"))
        let work = try TestPaths.temporaryFolder("mutations")
        defer { try? FileManager.default.removeItem(at: work) }
        let corpus = work.appendingPathComponent("files")
        let generated = try Processes.run(python, [TestPaths.repository.appendingPathComponent("Tests/Mutations/generate.py").path,
                                                   TestPaths.dicomSamples.path, corpus.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        #expect(files.count >= 2000)

        // In process (every fourth file, to keep the debug-build suite short): reading, listing and
        // re-encoding never crash, whatever the bytes.
        var readable = 0
        for name in files.enumerated().filter({ $0.offset % 4 == 0 }).map(\.element) {
            guard let object = try? DicomObject(contentsOf: corpus.appendingPathComponent(name)) else { continue }
            readable += 1
            _ = try? object.elements()
            _ = try? object.encoded()
        }
        #expect(readable > 0 && readable < files.count / 4)

        // The tools, bounded in time as a whole and per file (a hang, not a speed target: a 5,000-level
        // nesting once took 3 minutes; normal files take milliseconds): exit 1, exactly one line per refused
        // file, nothing else written for it.
        let timeout = try #require(Processes.system("timeout"))
        let tools: [(String, [String])] = [
            ("dcm-compress", ["--codec", "none"]),
            ("dcm-anon", ["--random-key", "--accept-burned-in"]),
        ]
        for (tool, arguments) in tools {
            let output = work.appendingPathComponent("out-\(tool)")
            let result = try Processes.run(timeout, ["600", Processes.binFolder.appendingPathComponent(tool).path]
                                           + arguments + ["-q", "--json", "--no-sync", "-o", output.path, corpus.path])
            #expect(result.status == 1, "\(tool): exit \(result.status) (124 is a hang, above 128 a crash)")
            var refused = Set<String>()
            for line in result.stderrLines {
                let prefix = "\(tool): \(corpus.path)/"
                #expect(line.hasPrefix(prefix), "\(line)")
                let rest = line.dropFirst(prefix.count)
                guard let colon = rest.range(of: ": ") else { continue }
                #expect(refused.insert(String(rest[..<colon.lowerBound])).inserted, "one line per file: \(line)")
            }
            let events = result.stdoutText.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }.filter { $0["summary"] == nil }
            #expect(events.count == files.count, "\(tool): one event per file")
            let slowest = events.max { ($0["milliseconds"] as? Double ?? 0) < ($1["milliseconds"] as? Double ?? 0) }
            #expect((slowest?["milliseconds"] as? Double ?? .infinity) < 20_000, "\(tool): \(slowest ?? [:])")
            let written = Set(try FileManager.default.contentsOfDirectory(atPath: output.path))
            #expect(written.allSatisfy { !$0.hasPrefix(".") }, "\(tool): no temporary file left behind")
            #expect(written.isDisjoint(with: refused))
            #expect(written.union(refused) == Set(files), "\(tool)")
        }
    }
}
