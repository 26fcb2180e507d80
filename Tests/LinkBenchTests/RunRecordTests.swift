@testable import BenchReports
import Foundation
import LinkBench
import LinkEmulation
import TestSupport
import Testing

/// The benchmark's record and its charts, against values computed by hand and Python's own gzip reader.
@Suite struct RunRecordTests {
    /// A link carries frames: 1448 bytes of payload per segment, 66 of headers (Ethernet 14, IP 20, TCP 32).
    @Test func aLinkCarriesTheHeadersOfEachSegment() {
        #expect(LinkProfile.framedBytes(0) == 0)
        #expect(LinkProfile.framedBytes(1) == 67)
        #expect(LinkProfile.framedBytes(1448) == 1514)
        #expect(LinkProfile.framedBytes(1449) == 1449 + 132)
        // 10 Mbit/s of frames leaves TCP 9.564 Mbit/s of payload, as tbf does (1448 / 1514).
        #expect(abs(Double(1_448_000) / Double(LinkProfile.framedBytes(1_448_000)) * 10 - 9.564) < 0.001)
    }

    @Test func axesEndOnRoundNumbers() {
        #expect(RecordChart.tickStep(6.8).maximum == 8 && RecordChart.tickStep(6.8).ticks == [0, 2, 4, 6, 8])
        #expect(zip(RecordChart.tickStep(1).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1.0]).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(RecordChart.tickStep(29).ticks == [0, 5, 10, 15, 20, 25, 30])
        #expect(RecordChart.tickStep(0).maximum == 1)
    }

    /// Our gzip is what Python's gzip module reads (and the other way round); a corrupt or oversized file is
    /// refused with its cause.
    @Test func recordsAreGzipThatOtherToolsRead() throws {
        let folder = try TestPaths.temporaryFolder("gzip")
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = String(repeating: "{\"interval_bytes\": [1, 2, 3]}\n", count: 1000)
        let ours = folder.appendingPathComponent("ours.gz")
        try Gzip.compress(Data(text.utf8)).write(to: ours)
        let python = try Processes.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import gzip, sys
            data = gzip.open(sys.argv[1]).read().decode()
            assert data == '{"interval_bytes": [1, 2, 3]}\\n' * 1000, len(data)
            gzip.open(sys.argv[2], "wb").write(b"written by python " * 100)
            """, ours.path, folder.appendingPathComponent("theirs.gz").path])
        #expect(python.status == 0, "\(python.stderr)")
        let theirs = try Gzip.decompress(try Data(contentsOf: folder.appendingPathComponent("theirs.gz")))
        #expect(String(decoding: theirs, as: UTF8.self) == String(repeating: "written by python ", count: 100))
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Data("not gzip at all".utf8)) }
        let cut = try Data(contentsOf: ours).prefix(40)
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(cut) }
        // A bomb: 64 MB of zeros claimed from a few kilobytes, read with a 1 MB limit.
        let bomb = try Gzip.compress(Data(count: 64 << 20))
        #expect(bomb.count < 200_000)
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(bomb, limit: 1 << 20) }
    }
}
