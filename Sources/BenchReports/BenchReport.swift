import Foundation
import LinkBench
import LinkEmulation

/// The measurements of a benchmark summarised per strategy (median and spread over the runs), held against
/// the link's limits, with the best strategy and why.
public struct BenchReport: Encodable {
    public struct Row: Encodable {
        public let strategy: String
        public let runs: Int
        public let failures: [String]
        public let images: Int
        public let medianSeconds: Double
        public let spreadSeconds: Double
        public let prepareSeconds: Double
        public let firstImageSeconds: Double?
        public let wireBytes: Int
        public let goodputMbitPerSecond: Double
        public let imagesPerSecond: Double
        public let senderCPUSeconds: Double
        public let receiverCPUSeconds: Double?
        public let retries: Int
        public let floorSeconds: Double
        public let wireSeconds: Double?
        public let lockstepSeconds: Double
        /// Median total over the floor: 1.0 is the link's best.
        public let overFloor: Double?
        /// (seconds, images) of the median run.
        public let arrivals: [[Double]]
        /// Streaming strategies, median run: seconds from leaving the scanner to arriving at the expert.
        public let latencyMedianSeconds: Double?
        public let latencyP95Seconds: Double?
        public let latencyMaxSeconds: Double?
        /// What shaped the link for this row (`Shaping`).
        public let shaping: String
        /// Streaming strategies, median run: when each series was complete at the expert.
        public let series: [SeriesCompletion]
    }

    public let link: String
    public let peer: String?
    public let images: Int
    public let studyBytes: Int
    public let roundTripSeconds: Double?
    public let rateBitsPerSecond: Double?
    public let bandwidthDelayProductBytes: Double?
    public let mathisBitsPerSecond: Double?
    public let rows: [Row]
    public let best: String?
    public let explanation: String
    public let environment: [String: String]

    public init(
        link: LinkProfile?, peer: String?, images: Int, studyBytes: Int, measurements: [StrategyMeasurement], environment: [String: String],
        imagesPerSecond: Double? = nil
    ) {
        self.link = link?.description ?? "as it is (no emulation)"
        self.peer = peer
        (self.images, self.studyBytes, self.environment) = (images, studyBytes, environment)
        (roundTripSeconds, rateBitsPerSecond) = (link?.roundTripSeconds, link?.rateBitsPerSecond)
        bandwidthDelayProductBytes = link?.bandwidthDelayProductBytes
        var order: [Strategy] = []
        for measurement in measurements where !order.contains(measurement.strategy) { order.append(measurement.strategy) }
        let rows = order.map { strategy in
            Self.row(strategy, measurements.filter { $0.strategy == strategy }, link: link, images: images, imagesPerSecond: imagesPerSecond)
        }
        self.rows = rows
        mathisBitsPerSecond = order.first.map { Limits(link: link, strategy: $0, images: images, wireBytes: 0).mathisBitsPerSecond } ?? nil
        // The kernel reference's rows are there to compare shapers, not to compete.
        let complete = rows.filter { $0.failures.isEmpty && $0.images == images && $0.shaping != Shaping.kernel.rawValue }
        let winner = complete.min { $0.medianSeconds < $1.medianSeconds }
        best = winner?.strategy
        explanation = winner.map { Self.explain($0, among: rows, link: link, studyBytes: studyBytes) }
            ?? "no strategy delivered every image: see the failures"
    }

    static func row(_ strategy: Strategy, _ runs: [StrategyMeasurement], link: LinkProfile?, images: Int, imagesPerSecond: Double?) -> Row {
        let sorted = runs.sorted { $0.totalSeconds < $1.totalSeconds }
        let median = sorted[sorted.count / 2]
        let limits = Limits(link: link, strategy: strategy, images: images, wireBytes: median.wireBytes, imagesPerSecond: imagesPerSecond)
        return Row(
            strategy: strategy.name, runs: runs.count, failures: runs.compactMap(\.failure), images: median.images,
            medianSeconds: median.totalSeconds, spreadSeconds: sorted.last!.totalSeconds - sorted.first!.totalSeconds,
            prepareSeconds: median.prepareSeconds, firstImageSeconds: median.firstImageSeconds, wireBytes: median.wireBytes,
            goodputMbitPerSecond: median.goodputBitsPerSecond / 1e6, imagesPerSecond: median.imagesPerSecond,
            senderCPUSeconds: median.senderCPUSeconds, receiverCPUSeconds: median.receiverCPUSeconds, retries: median.retries,
            floorSeconds: limits.floorSeconds, wireSeconds: limits.wireSeconds, lockstepSeconds: limits.lockstepSeconds,
            overFloor: limits.wireSeconds.map { _ in median.totalSeconds / limits.floorSeconds },
            arrivals: median.arrivals.map { [$0.0, Double($0.1)] }, latencyMedianSeconds: median.latency(0.5),
            latencyP95Seconds: median.latency(0.95), latencyMaxSeconds: median.latency(1),
            shaping: strategy.shaping.rawValue, series: median.seriesCompletions)
    }

    /// For each strategy run over the kernel's shaping as well: its goodput there beside the in-process
    /// shaper's.
    var referenceLines: [String] {
        rows.filter { $0.shaping == Shaping.kernel.rawValue }.compactMap { kernel in
            guard let emulated = rows.first(where: { $0.strategy + " [kernel]" == kernel.strategy }), kernel.goodputMbitPerSecond > 0 else { return nil }
            let difference = (emulated.goodputMbitPerSecond / kernel.goodputMbitPerSecond - 1) * 100
            return String(format: "%@: goodput %.2f Mbit/s with the in-process shaper, %.2f Mbit/s with the kernel's tbf (%+.1f%%)",
                          emulated.strategy, emulated.goodputMbitPerSecond, kernel.goodputMbitPerSecond, difference)
        }
    }

    /// When each series was complete at the expert, per streaming strategy.
    var seriesLines: [String] {
        rows.filter { !$0.series.isEmpty }.map { row in
            "\(row.strategy): complete at the expert " + row.series.map { series in
                "\(series.series) (\(series.images)) " + (series.seconds.map { Self.format($0) } ?? "never")
            }.joined(separator: ", ") + " after the scanner began"
        }
    }

    static func explain(_ best: Row, among rows: [Row], link: LinkProfile?, studyBytes: Int) -> String {
        var reasons = ["\(best.strategy) is fastest: \(format(best.medianSeconds)) for \(megabytes(best.wireBytes)) on the wire"]
        if best.wireBytes > 0 && studyBytes > best.wireBytes * 11 / 10 {
            reasons.append(String(format: "%.1fx fewer bytes than the raw study", Double(studyBytes) / Double(best.wireBytes)))
        }
        if let wire = best.wireSeconds, wire > 0 {
            reasons.append(String(format: "%.2fx the time of its bytes at the link's rate (%@)", best.medianSeconds / wire, format(wire)))
        }
        if let lockstep = rows.first(where: { $0.strategy == "raw x1" }), lockstep.lockstepSeconds > 0.05 {
            reasons.append("one lockstep association waits \(format(lockstep.lockstepSeconds)) in round trips alone")
        }
        if best.prepareSeconds > 0 { reasons.append("compression included (\(format(best.prepareSeconds)))") }
        // A stroke team may prefer the first image soonest over the last image soonest.
        if let bestFirst = best.firstImageSeconds,
            let earliest = rows.filter({ $0.failures.isEmpty }).min(by: { ($0.firstImageSeconds ?? .infinity) < ($1.firstImageSeconds ?? .infinity) }),
            let first = earliest.firstImageSeconds, first < bestFirst * 0.5 {
            reasons.append("for the first image soonest, \(earliest.strategy) (first image at \(format(first)) against \(format(bestFirst)))")
        }
        if let raw = rows.first(where: { $0.strategy.hasPrefix("raw") }), raw.wireBytes > 0,
            rows.contains(where: { $0.strategy.hasPrefix("jpeg-ls") && $0.wireBytes * 10 >= raw.wireBytes * 9 }) {
            reasons.append("the peer does not accept JPEG-LS: dcm-send decompressed it on the fly, so compressing gains nothing on this path")
        }
        return reasons.joined(separator: "; ")
    }

    static func format(_ seconds: Double) -> String { String(format: seconds < 10 ? "%.2f s" : "%.1f s", seconds) }
    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }

    /// The human table.
    public var table: String {
        var lines = ["link: \(link)" + (peer.map { ", peer \($0)" } ?? ", embedded receiver on loopback")
                     + ", \(images) images, \(Self.megabytes(studyBytes))"]
        if let bdp = bandwidthDelayProductBytes { lines[0] += String(format: ", bandwidth-delay product %.0f kB", bdp / 1e3) }
        if let mathis = mathisBitsPerSecond { lines[0] += String(format: ", Mathis bound %.1f Mbit/s per stream", mathis / 1e6) }
        let header = ["strategy", "total s", "spread", "1st image s", "MB on wire", "Mbit/s", "images/s", "floor s", "x floor",
                      "CPU send/recv s", "retries", "scanner->expert p50/p95/max s"]
        var body: [[String]] = []
        for row in rows {
            body.append([
                row.strategy + (row.failures.isEmpty ? "" : " (FAILED)"), String(format: "%.2f", row.medianSeconds),
                String(format: "%.2f", row.spreadSeconds), row.firstImageSeconds.map { String(format: "%.2f", $0) } ?? "-",
                String(format: "%.1f", Double(row.wireBytes) / 1e6), String(format: "%.1f", row.goodputMbitPerSecond),
                String(format: "%.0f", row.imagesPerSecond), String(format: "%.2f", row.floorSeconds),
                row.overFloor.map { String(format: "%.2f", $0) } ?? "-",
                String(format: "%.2f", row.senderCPUSeconds) + "/" + (row.receiverCPUSeconds.map { String(format: "%.2f", $0) } ?? "-"),
                String(row.retries),
                row.latencyMedianSeconds.map { median in
                    String(format: "%.2f/%.2f/%.2f", median, row.latencyP95Seconds ?? 0, row.latencyMaxSeconds ?? 0)
                } ?? "-",
            ])
        }
        let widths = header.indices.map { column in ([header] + body).map { $0[column].count }.max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == 0 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
        lines.append(line(header))
        lines += body.map(line)
        for row in rows where !row.failures.isEmpty { lines.append("\(row.strategy): \(row.failures[0])") }
        lines += seriesLines + referenceLines
        if rows.contains(where: { $0.shaping == Shaping.kernel.rawValue }) {
            lines.append("rows marked [kernel] crossed the kernel's shaping (tbf on a veth pair); the others the in-process shaper")
        }
        lines.append(explanation)
        return lines.joined(separator: "\n")
    }

    /// One line per strategy, for spreadsheets.
    public var csv: String {
        var lines = ["strategy,runs,images,median_s,spread_s,prepare_s,first_image_s,wire_bytes,goodput_mbit_s,images_s,floor_s,over_floor,sender_cpu_s,receiver_cpu_s,retries,failures,latency_p50_s,latency_p95_s,latency_max_s"]
        for row in rows {
            let fields: [String] = [
                row.strategy, String(row.runs), String(row.images), String(format: "%.4f", row.medianSeconds),
                String(format: "%.4f", row.spreadSeconds), String(format: "%.4f", row.prepareSeconds),
                row.firstImageSeconds.map { String(format: "%.4f", $0) } ?? "", String(row.wireBytes),
                String(format: "%.3f", row.goodputMbitPerSecond), String(format: "%.2f", row.imagesPerSecond),
                String(format: "%.4f", row.floorSeconds), row.overFloor.map { String(format: "%.3f", $0) } ?? "",
                String(format: "%.3f", row.senderCPUSeconds), row.receiverCPUSeconds.map { String(format: "%.3f", $0) } ?? "",
                String(row.retries), String(row.failures.count),
                row.latencyMedianSeconds.map { String(format: "%.4f", $0) } ?? "",
                row.latencyP95Seconds.map { String(format: "%.4f", $0) } ?? "",
                row.latencyMaxSeconds.map { String(format: "%.4f", $0) } ?? "",
            ]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
