import Foundation
import LinkBench
import LinkEmulation

/// The report as an SVG picture: total time per strategy (bars, with the link's floor marked) and the
/// arrival curve of each strategy (images received over time).
extension BenchReport {
    public var svg: String {
        let colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"]
        let width = 900.0, barsHeight = 40.0 * Double(rows.count) + 70, curveHeight = 360.0
        var parts: [String] = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(barsHeight + curveHeight + 40))\" font-family=\"sans-serif\" font-size=\"12\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(Self.escaped("Total time per strategy: \(images) images over \(link)"))</text>",
        ]
        // Bars.
        let longest = max(rows.map { max($0.medianSeconds, $0.floorSeconds) }.max() ?? 1, 1e-3)
        let left = 150.0, barWidth = width - left - 120
        for (index, row) in rows.enumerated() {
            let y = 40.0 + Double(index) * 40
            let length = barWidth * row.medianSeconds / longest
            parts.append("<text x=\"10\" y=\"\(y + 17)\">\(Self.escaped(row.strategy))</text>")
            parts.append("<rect x=\"\(left)\" y=\"\(y)\" width=\"\(Self.number(length))\" height=\"24\" fill=\"\(colours[index % colours.count])\"/>")
            let floorX = left + barWidth * row.floorSeconds / longest
            parts.append("<line x1=\"\(Self.number(floorX))\" y1=\"\(y - 3)\" x2=\"\(Self.number(floorX))\" y2=\"\(y + 27)\" stroke=\"black\" stroke-dasharray=\"3,2\"/>")
            parts.append("<text x=\"\(Self.number(left + length + 6))\" y=\"\(y + 17)\">\(String(format: "%.2f s", row.medianSeconds))</text>")
        }
        parts.append("<text x=\"\(left)\" y=\"\(barsHeight - 12)\" fill=\"#555\">dashed: the floor, what physics allows (the handshake, every byte at the rate, the round trips the protocol waits)</text>")

        // Arrival curves.
        let top = barsHeight + 20, plotLeft = 60.0, plotWidth = width - plotLeft - 30, plotHeight = curveHeight - 60
        let endTime = max(rows.compactMap { $0.arrivals.last?[0] }.max() ?? 1, 1e-3)
        let maxImages = Double(max(images, 1))
        parts.append("<text x=\"10\" y=\"\(top)\" font-size=\"14\" font-weight=\"bold\">Images received over time</text>")
        let originY = top + 20 + plotHeight
        parts.append("<line x1=\"\(plotLeft)\" y1=\"\(originY)\" x2=\"\(plotLeft + plotWidth)\" y2=\"\(originY)\" stroke=\"black\"/>")
        parts.append("<line x1=\"\(plotLeft)\" y1=\"\(top + 20)\" x2=\"\(plotLeft)\" y2=\"\(originY)\" stroke=\"black\"/>")
        parts.append("<text x=\"\(plotLeft + plotWidth - 60)\" y=\"\(originY + 30)\">\(String(format: "%.1f s", endTime))</text>")
        parts.append("<text x=\"\(plotLeft - 45)\" y=\"\(top + 30)\">\(images)</text>")
        for (index, row) in rows.enumerated() where !row.arrivals.isEmpty {
            var points = ["\(Self.number(plotLeft)),\(Self.number(originY))"]
            var previous = 0.0
            for point in row.arrivals {
                let x = plotLeft + plotWidth * point[0] / endTime
                points.append("\(Self.number(x)),\(Self.number(originY - plotHeight * previous / maxImages))")
                points.append("\(Self.number(x)),\(Self.number(originY - plotHeight * point[1] / maxImages))")
                previous = point[1]
            }
            parts.append("<polyline fill=\"none\" stroke=\"\(colours[index % colours.count])\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>")
            parts.append("<text x=\"\(plotLeft + 10)\" y=\"\(top + 40 + Double(index) * 16)\" fill=\"\(colours[index % colours.count])\">\(Self.escaped(row.strategy))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
