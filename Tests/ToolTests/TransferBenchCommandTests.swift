import Foundation
import LinkEmulation
import TestSupport
import Testing

/// transfer-bench run and probe as engineers run them: over the emulated link, and against a real peer
/// (DCMTK's storescp).
@Suite struct TransferBenchCommandTests {
    func summary(_ result: Processes.Result, key: String) throws -> [String: Any] {
        let line = try #require(result.stdoutText.split(separator: "\n").last { $0.contains("\"summary\":true") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return try #require(object[key] as? [String: Any])
    }

    @Test func runMeasuresEveryStrategyOverTheEmulatedLink() throws {
        let folder = try TestPaths.temporaryFolder("bench-run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("r.csv"), chart = folder.appendingPathComponent("r.svg")
        let result = try Processes.tool("transfer-bench", ["run", "--link", "200mbit/6ms", "--scale", "0.005", "--json",
                                                           "--csv", csv.path, "--chart", chart.path])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try summary(result, key: "report")
        let rows = try #require(report["rows"] as? [[String: Any]])
        #expect(rows.map { $0["strategy"] as? String } == ["raw x1", "raw x4", "jpeg-ls x1", "jpeg-ls x4", "bundle"])
        let images = try #require(report["images"] as? Int)
        for row in rows {
            #expect(row["images"] as? Int == images, "\(row)")
            // Never faster than the link allows (a lower bound: a busy machine only makes runs slower).
            let median = try #require(row["median_seconds"] as? Double), floor = try #require(row["floor_seconds"] as? Double)
            #expect(median >= floor, "\(row["strategy"] ?? "?"): \(median) s under its floor \(floor) s")
            #expect((row["arrivals"] as? [[Double]])?.last?.last == Double(images))
        }
        // The compressed strategies put fewer bytes on the wire than the raw ones.
        let wire = rows.map { $0["wire_bytes"] as? Int ?? 0 }
        #expect(wire[2] * 3 < wire[0] && wire[4] * 3 < wire[0])
        #expect(report["best"] is String)
        let environment = try #require(report["environment"] as? [String: String])
        #expect(environment["congestion_control"] != nil && environment["kernel"] != nil)
        #expect(try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").count == 6)
        // The chart is well-formed SVG, as an XML parser other than ours reads it.
        let python = try #require(Processes.which("python3"))
        let parsed = try Processes.run(python, ["-c", "import sys, xml.dom.minidom as m; print(m.parse(sys.argv[1]).documentElement.tagName)", chart.path])
        #expect(parsed.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "svg", "\(parsed.stderr)")
    }

    @Test func runAndProbeAgainstARealPeer() throws {
        let folder = try TestPaths.temporaryFolder("bench-peer")
        defer { try? FileManager.default.removeItem(at: folder) }
        let storescp = try #require(Processes.system("storescp"))
        let port = Processes.freePort()
        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let peer = try PeerProcess(storescp, ["--output-directory", inbox.path, "\(port)"], port: port)
        defer { peer.stop() }
        let study = folder.appendingPathComponent("study")
        #expect(try Processes.tool("transfer-bench", ["make-study", "--scale", "0.004", "-o", study.path]).status == 0)
        let run = try Processes.tool("transfer-bench", ["run", "--peer", "ANY@127.0.0.1:\(port)", "--study", study.path,
                                                        "--link", "unlimited/2ms", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try summary(run, key: "report")
        let rows = try #require(report["rows"] as? [[String: Any]])
        #expect(rows.count == 4)  // no bundle: the peer is not the toolkit
        #expect(rows.allSatisfy { ($0["images"] as? Int) == report["images"] as? Int })
        // storescp accepts uncompressed syntaxes only: the JPEG-LS strategies travel decompressed, and say so.
        #expect((report["explanation"] as? String ?? "").contains("decompressed"))

        let probe = try Processes.tool("transfer-bench", ["probe", "ANY@127.0.0.1:\(port)", "--echoes", "5", "--bulk-images", "4", "--json"])
        #expect(probe.status == 0, "\(probe.stderr)")
        let result = try summary(probe, key: "probe")
        #expect((result["round_trip_min_milliseconds"] as? Double ?? -1) > 0)
        #expect((result["bulk_one_association_mbit_per_second"] as? Double ?? 0) > 0)
        #expect(["jpeg-ls", "rle", "jpeg-lossless", "deflate", "none"].contains(result["recommended_codec"] as? String ?? ""))

        let unreachable = try Processes.tool("transfer-bench", ["probe", "ANY@127.0.0.1:\(Processes.freePort())", "--no-bulk"])
        #expect(unreachable.status == 3)
    }

    /// Floors are what physics guarantees: on every preset, and on a jittery link, no strategy beats its own
    /// (x floor >= 1), handshakes and lockstep round trips included.
    @Test(arguments: Array(LinkProfile.presets.keys.sorted()) + ["20mbit/40ms/jitter=10ms"])
    func noStrategyBeatsItsFloor(_ link: String) throws {
        let result = try Processes.tool("transfer-bench", ["run", "--link", link, "--scale", "0.003", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try summary(result, key: "report")["rows"] as? [[String: Any]])
        #expect(rows.count == 5)
        for row in rows {
            let over = try #require(row["over_floor"] as? Double)
            #expect(over >= 1, "\(link), \(row["strategy"] ?? "?"): \(row["median_seconds"] ?? "?") s against a floor of \(row["floor_seconds"] ?? "?") s")
        }
    }

    /// The forwarding node's pipeline and dcm-send alone, fed at a scanner's pace: each image is timed from
    /// leaving the scanner to arriving at the expert; the pace bounds the run; the pipeline's wire carries
    /// JPEG-LS.
    @Test func streamingStrategiesTimeEachImageFromTheScanner() throws {
        let pace = 40.0
        let result = try Processes.tool("transfer-bench", ["run", "--scale", "0.01", "--pace", "\(Int(pace))", "--link", "100mbit/10ms", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try summary(result, key: "report")
        let rows = try #require(report["rows"] as? [[String: Any]])
        #expect(rows.map { $0["strategy"] as? String } == ["stream x4", "pipeline x4"])
        let images = try #require(report["images"] as? Int)
        for row in rows {
            #expect(row["images"] as? Int == images, "\(row)")
            let p50 = try #require(row["latency_median_seconds"] as? Double), p95 = try #require(row["latency_p95_seconds"] as? Double)
            let max = try #require(row["latency_max_seconds"] as? Double), total = try #require(row["median_seconds"] as? Double)
            #expect(p50 > 0 && p50 <= p95 && p95 <= max && max <= total, "\(row)")
            #expect(total >= Double(images - 1) / pace, "the last image cannot arrive before the scanner released it: \(row)")
        }
        let wire = rows.map { $0["wire_bytes"] as? Int ?? 0 }
        #expect(wire[1] * 2 < wire[0], "\(wire)")
        let usage = try Processes.tool("transfer-bench", ["run", "--pace", "10", "--strategy", "bundle", "--scale", "0.001"])
        #expect(usage.status == 2 && usage.stderr.contains("--pace applies to the stream and pipeline strategies"), "\(usage.stderr)")
    }

    /// A relay cannot lose packets: a lossy link is a usage error that says so, not a run that pretends.
    @Test func packetLossIsRefused() throws {
        let loss = try Processes.tool("transfer-bench", ["run", "--link", "10mbit/40ms/loss=1%", "--scale", "0.001"])
        #expect(loss.status == 2 && loss.stderr.contains("never loses packets") && loss.stderr.split(separator: "\n").count <= 3,
                "\(loss.stderr)")
    }
}
