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
        // Three images on links under 2 Mbit/s, five elsewhere: the study crosses each link five times.
        let slow = (try LinkProfile(parsing: link).rateBitsPerSecond ?? .infinity) < 2e6
        let result = try Processes.tool("transfer-bench", ["run", "--link", link, "--scale", slow ? "0.001" : "0.003", "--json"])
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
        #expect(usage.status == 2 && usage.stderr.contains("--pace and --scenario apply to the stream and pipeline strategies"), "\(usage.stderr)")
    }

    /// The stroke scenario: the protocol at the scanner's pace (10 images/s), streamed; each series is
    /// complete at the expert in acquisition order, never before the scanner released its last image.
    @Test func theStrokeScenarioSaysWhenEachSeriesIsComplete() throws {
        let result = try Processes.tool("transfer-bench", ["run", "--scenario", "stroke", "--scale", "0.004", "--link", "100mbit/10ms", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try summary(result, key: "report")["rows"] as? [[String: Any]])
        #expect(rows.map { $0["strategy"] as? String } == ["stream x4", "pipeline x4"])
        // 0.004 of the protocol: 1 non-contrast slice, 2 angiography, 4 perfusion images, released 0.1 s apart.
        let lastRelease = ["1_NCCT": 0.0, "2_CTA": 0.2, "3_CTP": 0.6]
        for row in rows {
            let series = try #require(row["series"] as? [[String: Any]])
            #expect(series.map { $0["series"] as? String } == ["1_NCCT", "2_CTA", "3_CTP"])
            #expect(series.map { $0["images"] as? Int } == [1, 2, 4])
            let times = series.compactMap { $0["seconds"] as? Double }
            #expect(times.count == 3 && times == times.sorted(), "\(series)")
            for entry in series {
                let name = try #require(entry["series"] as? String), seconds = try #require(entry["seconds"] as? Double)
                #expect(seconds >= lastRelease[name]! + 0.005, "\(name) complete at \(seconds) s, before its last image left the scanner")
            }
        }
        let human = try Processes.tool("transfer-bench", ["run", "--scenario", "stroke", "--scale", "0.002", "--strategy", "pipeline"])
        #expect(human.status == 0 && human.stdoutText.contains("pipeline x4: complete at the expert 1_NCCT (1)"), "\(human.stdoutText)")
        let refused = try Processes.tool("transfer-bench", ["run", "--scenario", "stroke", "--study", "/tmp"])
        #expect(refused.status == 2 && refused.stderr.contains("generates its study"), "\(refused.stderr)")
    }

    /// --record keeps every run's series and the metadata in gzipped JSON (read here by Python's gzip and
    /// json); the link's bytes per 100 ms add up to the frames of what it carried; plot draws several
    /// records on one chart and names a file it cannot read.
    @Test func runsAreRecordedAndPlotted() throws {
        let folder = try TestPaths.temporaryFolder("bench-record")
        defer { try? FileManager.default.removeItem(at: folder) }
        let records = ["20mbit/20ms", "40mbit/20ms"].enumerated().map { folder.appendingPathComponent("run\($0.offset).json.gz") }
        for (link, record) in zip(["20mbit/20ms", "40mbit/20ms"], records) {
            let result = try Processes.tool("transfer-bench", ["run", "--link", link, "--scale", "0.003", "--strategy", "raw", "--strategy", "bundle", "--record", record.path])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let check = try Processes.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import gzip, json, math, sys
            record = json.load(gzip.open(sys.argv[1]))
            assert record["format"] == "transfer-bench-record/1", record["format"]
            meta = record["metadata"]
            for key in ("kernel", "congestion_control", "tcp_rmem", "tcp_wmem", "sender_socket_options", "toolkit_version"):
                assert meta["environment"][key], key
            assert meta["label"] == "20mbit/20ms" and meta["rate_bits_per_second"] == 20e6 and meta["round_trip_seconds"] == 0.02, meta
            runs = record["runs"]
            assert [r["strategy"] for r in runs] == ["raw x1", "raw x4", "bundle"], [r["strategy"] for r in runs]
            for run in runs:
                assert run["shaping"] == "in-process shaper"
                framed = run["wire_bytes"] + math.ceil(run["wire_bytes"] / 1448) * 66
                total = sum(run["interval_bytes"])
                assert abs(total - framed) <= 66 * len(run["interval_bytes"]) + 1000, (run["strategy"], total, framed)
                assert len(run["interval_bytes"]) >= int(run["total_seconds"] / 0.1), (len(run["interval_bytes"]), run["total_seconds"])
                # No interval carries more than the rate allows (20 Mbit/s: 250 kB per 100 ms, a little slack for sampling).
                assert max(run["interval_bytes"]) <= 250_000 * 1.2, max(run["interval_bytes"])
                assert len(run["image_latencies"]) == run["images"] == meta["images"]
                assert run["image_latencies"] == sorted(run["image_latencies"])
                assert run["image_latencies"][-1] <= run["total_seconds"] + 1e-6
            """, records[0].path])
        #expect(check.status == 0, "\(check.stderr)")

        let broken = folder.appendingPathComponent("broken.json.gz")
        try Data("not a record".utf8).write(to: broken)
        let chart = folder.appendingPathComponent("chart.svg")
        let plot = try Processes.tool("transfer-bench", ["plot", records[0].path, broken.path, records[1].path, "-o", chart.path])
        #expect(plot.status == 1 && plot.stderr.contains("broken.json.gz: not a gzip file"), "\(plot.stderr)")
        let svg = try String(contentsOf: chart, encoding: .utf8)
        // Three charts of six runs each (two records of three strategies), labelled by record.
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 18)
        #expect(svg.contains("20mbit/20ms: raw x4") && svg.contains("40mbit/20ms: bundle"))
        #expect(svg.contains("Mbit/s") && svg.contains("fraction of images"))
        let parsed = try Processes.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])", chart.path])
        #expect(parsed.status == 0, "\(parsed.stderr)")
    }

    /// The kernel reference: the same strategy over tbf on a veth pair between namespaces, reported beside
    /// the in-process shaper's, each row saying which shaped it. tbf really shaped: its goodput is below
    /// the rate, and the kernel's interface counted the bytes. Without netem, a delay is refused plainly.
    @Test func theKernelReferenceRunsBesideTheShaper() throws {
        let folder = try TestPaths.temporaryFolder("bench-kernel")
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = folder.appendingPathComponent("kernel.json.gz")
        let result = try Processes.tool("transfer-bench", ["run", "--link", "20mbit/0ms", "--scale", "0.01", "--strategy", "raw",
                                                           "--reference", "kernel", "--record", record.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try summary(result, key: "report")["rows"] as? [[String: Any]])
        #expect(rows.map { $0["strategy"] as? String } == ["raw x1", "raw x1 [kernel]", "raw x4", "raw x4 [kernel]"])
        #expect(rows.map { $0["shaping"] as? String } == ["in-process shaper", "kernel tbf", "in-process shaper", "kernel tbf"])
        for row in rows {
            let goodput = try #require(row["goodput_mbit_per_second"] as? Double)
            #expect(goodput > 10 && goodput < 20 * 1448 / 1514 * 1.02, "\(row["strategy"] ?? "?"): \(goodput) Mbit/s")
        }
        let human = try Processes.tool("transfer-bench", ["run", "--link", "20mbit/0ms", "--scale", "0.003", "--strategy", "raw", "--reference", "kernel"])
        #expect(human.stdoutText.contains("with the kernel's tbf") && human.stdoutText.contains("rows marked [kernel]"), "\(human.stdoutText)")
        let python = try Processes.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import gzip, json, sys
            record = json.load(gzip.open(sys.argv[1]))
            kernel = [r for r in record["runs"] if r["shaping"] == "kernel tbf"]
            assert len(kernel) == 2
            for run in kernel:
                assert sum(run["interval_bytes"]) >= run["wire_bytes"], (sum(run["interval_bytes"]), run["wire_bytes"])
            assert "tbf" in record["metadata"]["environment"]["kernel_reference_queues"]
            """, record.path])
        #expect(python.status == 0, "\(python.stderr)")
        let delayed = try Processes.tool("transfer-bench", ["run", "--link", "20mbit/40ms", "--scale", "0.003", "--strategy", "raw", "--reference", "kernel"])
        if KernelLink.hasNetem {
            #expect(delayed.status == 0, "\(delayed.stderr)")
        } else {
            #expect(delayed.status == 1 && delayed.stderr.contains("no netem"), "\(delayed.stderr)")
        }
    }

    /// Each preset says what it stands for and where its figures come from.
    @Test func presetsHaveTheirSources() throws {
        let result = try Processes.tool("transfer-bench", ["presets", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let events = result.stdoutText.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let byName = Dictionary(uniqueKeysWithValues: events.compactMap { event in (event["preset"] as? String).map { ($0, event) } })
        #expect(Set(byName.keys) == Set(LinkProfile.presets.keys))
        #expect(byName.values.allSatisfy { ($0["source"] as? String ?? "").count > 40 })
        #expect(byName["t1"]?["rate_bits_per_second"] as? Double == 1.536e6 && byName["t1"]?["round_trip_seconds"] as? Double == 0.04)
        #expect(byName["sat-384k"]?["rate_bits_per_second"] as? Double == 384e3 && byName["sat-384k"]?["round_trip_seconds"] as? Double == 0.715)
        #expect(byName["4g-evening"] != nil && byName["island-radio"] != nil)
    }

    /// A relay cannot lose packets: a lossy link is a usage error that says so, not a run that pretends.
    @Test func packetLossIsRefused() throws {
        let loss = try Processes.tool("transfer-bench", ["run", "--link", "10mbit/40ms/loss=1%", "--scale", "0.001"])
        #expect(loss.status == 2 && loss.stderr.contains("never loses packets") && loss.stderr.split(separator: "\n").count <= 3,
                "\(loss.stderr)")
    }
}
