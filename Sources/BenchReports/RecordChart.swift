import Foundation

/// Records drawn as SVG, several runs on one chart to compare settings: the link's throughput over time (per
/// 100 ms), the images arrived over time, and the distribution of per-image latency (CDF).
public struct RecordChart {
    struct Line {
        let label: String
        let points: [(Double, Double)]
        /// Drawn as steps (counts) rather than straight segments.
        let steps: Bool
    }

    public let lines: [(label: String, run: RunRecord.Run)]

    /// The runs of `records`, those of `strategies` only when given (names as the report prints them).
    public init(records: [RunRecord], strategies: [String] = []) {
        let several = Set(records.map(\.metadata.label)).count > 1
        lines = records.flatMap { record in
            record.runs.filter { strategies.isEmpty || strategies.contains($0.strategy) }.map { run in
                let name = run.strategy + (record.runs.contains { $0.strategy == run.strategy && $0.run != run.run } ? " run \(run.run)" : "")
                return ((several ? record.metadata.label + ": " : "") + name, run)
            }
        }
    }

    static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#7f7f7f", "#bcbd22", "#e377c2"]
    static let width = 900.0, panelHeight = 260.0, left = 70.0, right = 20.0

    public var svg: String {
        let throughput = lines.map { line in
            Line(label: line.label, points: line.run.intervalBytes.enumerated().map { index, bytes in
                (Double(index + 1) * line.run.intervalSeconds, Double(bytes) * 8 / line.run.intervalSeconds / 1e6)
            }, steps: false)
        }
        let arrived = lines.map { line in Line(label: line.label, points: [(0, 0)] + line.run.arrivals.map { ($0[0], $0[1]) }, steps: true) }
        let cdf = lines.map { line in
            let latencies = line.run.imageLatencies
            return Line(label: line.label, points: latencies.enumerated().map { ($0.element, Double($0.offset + 1) / Double(latencies.count)) }, steps: true)
        }
        let legendHeight = 18.0 * Double(lines.count) + 20
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Self.width))\" height=\"\(Int(legendHeight + 3 * (Self.panelHeight + 40) + 10))\" font-family=\"sans-serif\" font-size=\"12\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        ]
        for (index, line) in lines.enumerated() {
            let y = 20.0 + 18 * Double(index)
            parts.append("<rect x=\"\(Self.left)\" y=\"\(y - 9)\" width=\"14\" height=\"10\" fill=\"\(Self.colour(index))\"/>")
            parts.append("<text x=\"\(Self.left + 20)\" y=\"\(y)\">\(BenchReport.escaped(line.label))</text>")
        }
        var top = legendHeight
        for (title, xLabel, yLabel, series) in [
            ("Throughput of the link towards the receiver (frames, per 100 ms)", "seconds since the transfer began", "Mbit/s", throughput),
            ("Images arrived", "seconds since the transfer began", "images", arrived),
            ("Per-image latency (leaving the sender or scanner to arriving): cumulative distribution", "seconds", "fraction of images", cdf),
        ] {
            parts += Self.panel(title: title, xLabel: xLabel, yLabel: yLabel, lines: series, top: top)
            top += Self.panelHeight + 40
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    static func colour(_ index: Int) -> String { colours[index % colours.count] }

    /// One chart: title, axes with round ticks and their units, a polyline per run.
    static func panel(title: String, xLabel: String, yLabel: String, lines: [Line], top: Double) -> [String] {
        let plotTop = top + 24, plotHeight = panelHeight - 50, plotWidth = width - left - right
        let xStep = tickStep(lines.flatMap { $0.points.map(\.0) }.max() ?? 1)
        let yStep = tickStep(lines.flatMap { $0.points.map(\.1) }.max() ?? 1)
        let (xMax, yMax) = (xStep.maximum, yStep.maximum)
        func x(_ value: Double) -> String { String(format: "%.1f", left + plotWidth * value / xMax) }
        func y(_ value: Double) -> String { String(format: "%.1f", plotTop + plotHeight * (1 - value / yMax)) }
        var parts = ["<text x=\"\(left)\" y=\"\(top + 14)\" font-size=\"14\" font-weight=\"bold\">\(BenchReport.escaped(title))</text>"]
        for tick in xStep.ticks {
            parts.append("<line x1=\"\(x(tick))\" y1=\"\(y(0))\" x2=\"\(x(tick))\" y2=\"\(y(yMax))\" stroke=\"#eee\"/>")
            parts.append("<text x=\"\(x(tick))\" y=\"\(String(format: "%.1f", plotTop + plotHeight + 15))\" text-anchor=\"middle\">\(label(tick))</text>")
        }
        for tick in yStep.ticks {
            parts.append("<line x1=\"\(x(0))\" y1=\"\(y(tick))\" x2=\"\(x(xMax))\" y2=\"\(y(tick))\" stroke=\"#eee\"/>")
            parts.append("<text x=\"\(left - 6)\" y=\"\(y(tick))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(label(tick))</text>")
        }
        parts.append("<line x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(xMax))\" y2=\"\(y(0))\" stroke=\"black\"/>")
        parts.append("<line x1=\"\(x(0))\" y1=\"\(y(0))\" x2=\"\(x(0))\" y2=\"\(y(yMax))\" stroke=\"black\"/>")
        parts.append("<text x=\"\(x(xMax / 2))\" y=\"\(String(format: "%.1f", plotTop + plotHeight + 32))\" text-anchor=\"middle\" fill=\"#555\">\(BenchReport.escaped(xLabel))</text>")
        parts.append("<text x=\"14\" y=\"\(y(yMax / 2))\" transform=\"rotate(-90 14 \(y(yMax / 2)))\" text-anchor=\"middle\" fill=\"#555\">\(BenchReport.escaped(yLabel))</text>")
        for (index, line) in lines.enumerated() where !line.points.isEmpty {
            var points: [String] = []
            var previous: Double?
            for (px, py) in line.points {
                if line.steps, let previous { points.append("\(x(px)),\(y(previous))") }
                points.append("\(x(px)),\(y(py))")
                previous = py
            }
            parts.append("<polyline fill=\"none\" stroke=\"\(colour(index))\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\"/>")
        }
        return parts
    }

    /// An axis from 0 to at least `value` in round steps (1, 2, 2.5 or 5 times a power of ten), at most six.
    static func tickStep(_ value: Double) -> (maximum: Double, ticks: [Double]) {
        let value = value > 0 ? value : 1
        let power = pow(10, floor(log10(value / 6)))
        let step = [1, 2, 2.5, 5, 10].map { $0 * power }.first { value / $0 <= 6 }!
        let count = Int((value / step - 1e-9).rounded(.up))
        return (step * Double(count), (0...count).map { step * Double($0) })
    }

    static func label(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: value < 1 ? "%.2g" : "%.1f", value)
    }
}
