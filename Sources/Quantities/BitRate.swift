import Foundation

/// A rate in bits per second, written the way network engineers write it: `10mbit`, `2.5Gbit`, `500kbit`,
/// `20mbit/s`, `100Mbps`, `64000bit`. The unit is required and must say bits: `10MB`, `10MBps` (bytes) and
/// the ambiguous `10mb` are refused rather than read as 10 Mbit/s. The one rate parser of the toolkit
/// (links, --link-rate).
public struct BitRate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let bitsPerSecond: Double

    public init(bitsPerSecond: Double) { self.bitsPerSecond = bitsPerSecond }

    /// nil when the text is not a positive rate in bits.
    public init?(_ text: String) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        var perSecond = false
        for suffix in ["/s", "ps"] where body.lowercased().hasSuffix(suffix) {
            body = body.dropLast(suffix.count)
            perSecond = true
            break
        }
        // "bit", or a lowercase b followed by "ps" or "/s" (Mbps): an uppercase B is a byte.
        if body.lowercased().hasSuffix("bit") {
            body = body.dropLast(3)
        } else if perSecond && body.hasSuffix("b") {
            body = body.dropLast()
        } else {
            return nil
        }
        var multiplier = 1.0
        if let unit = body.last.map({ String($0).lowercased() }), let scale = ["k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12][unit] {
            multiplier = scale
            body = body.dropLast()
        }
        guard let value = Double(body), value > 0, value.isFinite else { return nil }
        bitsPerSecond = value * multiplier
    }

    public var bytesPerSecond: Double { bitsPerSecond / 8 }

    /// `10mbit`, `2.5gbit`, `512kbit`: the form links are written in.
    public var description: String {
        let (value, unit) = bitsPerSecond >= 1e9 ? (bitsPerSecond / 1e9, "gbit") : bitsPerSecond >= 1e6 ? (bitsPerSecond / 1e6, "mbit")
            : bitsPerSecond >= 1e3 ? (bitsPerSecond / 1e3, "kbit") : (bitsPerSecond, "bit")
        return String(format: "%g", value) + unit
    }

    public static func < (left: BitRate, right: BitRate) -> Bool { left.bitsPerSecond < right.bitsPerSecond }

}
