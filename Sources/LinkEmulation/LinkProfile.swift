import Foundation
import Quantities

/// A link to emulate or to account for: rate, round-trip time, jitter, and faults.
///
/// Written `RATE/RTT[/option...]`: `10mbit/100ms`, `20mbit/40ms/jitter=5ms`, `4g`, `satellite/drop-after=50MB`.
/// RTT is the round-trip time as ping shows it; each direction gets half of it. Options: `jitter=5ms` (each
/// direction, uniform in [0, jitter], order kept), `loss=0.5%` (packet loss: described for the bounds it
/// sets, never emulated, since a TCP relay cannot lose packets), `drop-after=10MB` (cut the connection
/// after so many bytes) and `drop=1%` (cut each connection with this probability per megabyte).
public struct LinkProfile: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// Bits per second; nil for no limit.
    public var rateBitsPerSecond: Double?
    public var roundTripSeconds: Double
    public var jitterSeconds: Double = 0
    public var lossFraction: Double = 0
    public var dropAfterBytes: Int?
    public var dropProbabilityPerMegabyte: Double = 0

    public init(name: String, rateBitsPerSecond: Double?, roundTripSeconds: Double) {
        (self.name, self.rateBitsPerSecond, self.roundTripSeconds) = (name, rateBitsPerSecond, roundTripSeconds)
    }

    /// Named links engineers ask about.
    public static let presets: [String: LinkProfile] = [
        "lan": LinkProfile(name: "lan", rateBitsPerSecond: 1e9, roundTripSeconds: 0.0005),
        "fibre": LinkProfile(name: "fibre", rateBitsPerSecond: 100e6, roundTripSeconds: 0.010),
        "4g": { var link = LinkProfile(name: "4g", rateBitsPerSecond: 20e6, roundTripSeconds: 0.050); link.jitterSeconds = 0.010; return link }(),
        "radio": { var link = LinkProfile(name: "radio", rateBitsPerSecond: 4e6, roundTripSeconds: 0.030); link.jitterSeconds = 0.005; return link }(),
        "satellite": LinkProfile(name: "satellite", rateBitsPerSecond: 10e6, roundTripSeconds: 0.600),
    ]

    public var oneWaySeconds: Double { roundTripSeconds / 2 }

    /// Why a link with `loss=` cannot be emulated here.
    public static let lossRefusal =
        "loss= cannot be emulated: the shaper is a TCP relay, which never loses packets (tc netem is not driven by the toolkit)"

    /// Bytes in flight to fill the link: rate x RTT.
    public var bandwidthDelayProductBytes: Double? { rateBitsPerSecond.map { $0 / 8 * roundTripSeconds } }

    public var description: String {
        var parts = [rateBitsPerSecond.map(Self.formatRate) ?? "unlimited", Self.formatSeconds(roundTripSeconds)]
        if jitterSeconds > 0 { parts.append("jitter=" + Self.formatSeconds(jitterSeconds)) }
        if lossFraction > 0 { parts.append(String(format: "loss=%g%%", lossFraction * 100)) }
        if let dropAfterBytes { parts.append("drop-after=\(dropAfterBytes)B") }
        if dropProbabilityPerMegabyte > 0 { parts.append(String(format: "drop=%g%%", dropProbabilityPerMegabyte * 100)) }
        return parts.joined(separator: "/")
    }

    /// Parses a link description; throws a message naming the part that is wrong.
    public init(parsing text: String) throws(LinkError) {
        // Case matters only in the rate (10Mbit is bits, 10MB bytes).
        let written = text.split(separator: "/").map(String.init)
        var parts = written.map { $0.lowercased() }
        guard let first = parts.first else { throw LinkError("empty link description") }
        if let preset = Self.presets[first] {
            self = preset
            parts.removeFirst()
        } else {
            guard parts.count >= 2 else {
                throw LinkError("link '\(text)': write RATE/RTT (e.g. 10mbit/100ms) or a preset: \(Self.presets.keys.sorted().joined(separator: ", "))")
            }
            guard let rate = Self.rate(written[0]) else {
                throw LinkError("link '\(text)': '\(written[0])' is not a rate in bits (10mbit, 1gbit, 512kbit, unlimited)")
            }
            guard let roundTrip = Self.seconds(parts[1]) else { throw LinkError("link '\(text)': '\(parts[1])' is not a delay (100ms, 0.6s)") }
            self.init(name: text, rateBitsPerSecond: rate == .infinity ? nil : rate, roundTripSeconds: roundTrip)
            parts.removeFirst(2)
        }
        name = text
        for option in parts {
            let pieces = option.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else { throw LinkError("link '\(text)': option '\(option)' needs a value (jitter=5ms)") }
            switch pieces[0] {
            case "jitter":
                guard let value = Self.seconds(pieces[1]) else { throw LinkError("link '\(text)': jitter '\(pieces[1])' is not a delay") }
                jitterSeconds = value
            case "loss":
                guard let value = Self.fraction(pieces[1]), value < 1 else { throw LinkError("link '\(text)': loss '\(pieces[1])' is not a percentage") }
                lossFraction = value
            case "drop-after":
                guard let value = Self.bytes(pieces[1]) else { throw LinkError("link '\(text)': drop-after '\(pieces[1])' is not a size (10MB)") }
                dropAfterBytes = value
            case "drop":
                guard let value = Self.fraction(pieces[1]), value <= 1 else { throw LinkError("link '\(text)': drop '\(pieces[1])' is not a percentage") }
                dropProbabilityPerMegabyte = value
            default:
                throw LinkError("link '\(text)': unknown option '\(pieces[0])' (jitter, loss, drop-after, drop)")
            }
        }
    }

    static func rate(_ text: String) -> Double? {
        text.lowercased() == "unlimited" ? .infinity : BitRate(text)?.bitsPerSecond
    }

    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 1e-3), ("us", 1e-6), ("s", 1)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            guard let value = Double(text.dropLast(unit.count)), value >= 0 else { return nil }
            return value * factor
        }
        return nil
    }

    static func fraction(_ text: String) -> Double? {
        guard text.hasSuffix("%"), let value = Double(text.dropLast()), value >= 0 else { return nil }
        return value / 100
    }

    static func bytes(_ text: String) -> Int? {
        let units: [(String, Int)] = [("gb", 1_000_000_000), ("mb", 1_000_000), ("kb", 1_000), ("b", 1)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            guard let value = Double(text.dropLast(unit.count)), value >= 0 else { return nil }
            return Int(value * Double(factor))
        }
        return nil
    }

    static func formatRate(_ bits: Double) -> String { BitRate(bitsPerSecond: bits).description }

    static func formatSeconds(_ seconds: Double) -> String {
        seconds >= 1 ? String(format: "%gs", seconds) : String(format: "%gms", seconds * 1000)
    }
}
