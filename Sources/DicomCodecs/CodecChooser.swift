import DicomCore
import Foundation

/// Chooses the standard codec that gets a study across a link soonest: compression, transfer and
/// decompression overlap (files stream through), so the slowest of the three sets the pace.
public enum CodecChooser {
    public static let sampleSize = 4

    /// Measured behaviour of one codec on the sample: ratio and single-core speeds in raw bytes per second.
    public struct Measurement: Sendable {
        public let codec: StandardCodec
        public let ratio: Double
        public let encodeBytesPerSecond: Double
        public let decodeBytesPerSecond: Double

        public init(codec: StandardCodec, ratio: Double, encodeBytesPerSecond: Double, decodeBytesPerSecond: Double) {
            (self.codec, self.ratio, self.encodeBytesPerSecond, self.decodeBytesPerSecond) =
                (codec, ratio, encodeBytesPerSecond, decodeBytesPerSecond)
        }

        /// Seconds per raw byte at the pace of the slowest stage.
        func secondsPerByte(linkBytesPerSecond: Double, cores: Int) -> Double {
            let compress = codec == .none ? 0 : 1 / (encodeBytesPerSecond * Double(cores))
            let transfer = 1 / (ratio * linkBytesPerSecond)
            let decompress = codec == .none ? 0 : 1 / (decodeBytesPerSecond * Double(cores))
            return max(compress, transfer, decompress)
        }
    }

    public struct Choice: Sendable {
        public let codec: StandardCodec
        public let explanation: String
    }

    /// Measures the candidates on sample files, then decides.
    public static func choose(samples: [URL], linkBitsPerSecond: Double, cores: Int) -> Choice {
        let objects = samples.compactMap { try? DicomObject(contentsOf: $0) }
        let measurements = StandardCodec.allCases.compactMap { measure($0, on: objects) }
        return decide(measurements, linkBitsPerSecond: linkBitsPerSecond, cores: cores)
    }

    /// The decision itself, from measurements (pure: tests give it fixed speeds).
    public static func decide(_ measurements: [Measurement], linkBitsPerSecond: Double, cores: Int) -> Choice {
        let linkBytes = linkBitsPerSecond / 8
        guard let best = measurements.min(by: {
            $0.secondsPerByte(linkBytesPerSecond: linkBytes, cores: cores) < $1.secondsPerByte(linkBytesPerSecond: linkBytes, cores: cores)
        }) else {
            return Choice(codec: .jpegLS, explanation: "no sample could be measured: using jpeg-ls")
        }
        var lines = [String(format: "codec choice for a %@ link, %d cores (seconds per GB of images, the slowest stage sets the pace):",
                            formatRate(linkBitsPerSecond), cores)]
        for m in measurements {
            let perGB = m.secondsPerByte(linkBytesPerSecond: linkBytes, cores: cores) * 1e9
            let name = m.codec.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
            lines.append(String(format: "  %@ ratio %5.2f  encode %6.0f MB/s/core  decode %6.0f MB/s/core  -> %7.1f s/GB%@",
                                name, m.ratio, m.encodeBytesPerSecond / 1e6, m.decodeBytesPerSecond / 1e6,
                                perGB, m.codec == best.codec ? "  <- chosen" : ""))
        }
        let stages = [
            ("compression", best.codec == .none ? 0 : 1 / (best.encodeBytesPerSecond * Double(cores))),
            ("the link", 1 / (best.ratio * linkBytes)),
            ("decompression", best.codec == .none ? 0 : 1 / (best.decodeBytesPerSecond * Double(cores))),
        ]
        let pace = stages.max { $0.1 < $1.1 }!
        let detail = stages.map { String(format: "%@ %.1f s/GB", $0.0, $0.1 * 1e9) }.joined(separator: ", ")
        lines.append("chose \(best.codec.rawValue): \(pace.0) sets its pace (\(detail)); every other codec is slower at its own slowest stage")
        return Choice(codec: best.codec, explanation: lines.joined(separator: "\n"))
    }

    static func measure(_ codec: StandardCodec, on objects: [DicomObject]) -> Measurement? {
        var raw = 0, encoded = 0
        var encodeTime = 0.0, decodeTime = 0.0
        for object in objects {
            guard let rawBytes = try? object.copy().encoded(as: .explicitLittleEndian).count else { continue }
            let start = Date()
            guard let result = try? Transcoder.transcode(object, to: codec, verify: false),
                let output = try? result.object.encoded()
            else { continue }
            let middle = Date()
            guard (try? DicomObject(bytes: output).decodedPixelData()) != nil else { continue }
            decodeTime += Date().timeIntervalSince(middle)
            encodeTime += middle.timeIntervalSince(start)
            raw += rawBytes
            encoded += output.count
        }
        guard raw > 0, encoded > 0 else { return nil }
        return Measurement(codec: codec, ratio: Double(raw) / Double(encoded),
                           encodeBytesPerSecond: Double(raw) / max(encodeTime, 1e-6),
                           decodeBytesPerSecond: Double(raw) / max(decodeTime, 1e-6))
    }

    static func formatRate(_ bits: Double) -> String {
        bits >= 1e9 ? String(format: "%gGbit", bits / 1e9) : bits >= 1e6 ? String(format: "%gMbit", bits / 1e6)
            : String(format: "%gkbit", bits / 1e3)
    }
}
