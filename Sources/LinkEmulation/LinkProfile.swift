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

    public init(name: String, rateBitsPerSecond: Double?, roundTripSeconds: Double, jitterSeconds: Double = 0) {
        (self.name, self.rateBitsPerSecond, self.roundTripSeconds) = (name, rateBitsPerSecond, roundTripSeconds)
        self.jitterSeconds = jitterSeconds
    }

    /// Named links engineers ask about; `presetSources` says what each stands for and where its figures come
    /// from.
    public static let presets: [String: LinkProfile] = [
        "lan": LinkProfile(name: "lan", rateBitsPerSecond: 1e9, roundTripSeconds: 0.0005),
        "fibre": LinkProfile(name: "fibre", rateBitsPerSecond: 100e6, roundTripSeconds: 0.010),
        "4g": LinkProfile(name: "4g", rateBitsPerSecond: 20e6, roundTripSeconds: 0.050, jitterSeconds: 0.010),
        "radio": LinkProfile(name: "radio", rateBitsPerSecond: 4e6, roundTripSeconds: 0.030, jitterSeconds: 0.005),
        "satellite": LinkProfile(name: "satellite", rateBitsPerSecond: 10e6, roundTripSeconds: 0.600),
        "t1": LinkProfile(name: "t1", rateBitsPerSecond: 1.536e6, roundTripSeconds: 0.040),
        "sat-384k": LinkProfile(name: "sat-384k", rateBitsPerSecond: 384e3, roundTripSeconds: 0.715),
        "island-radio": LinkProfile(name: "island-radio", rateBitsPerSecond: 6e6, roundTripSeconds: 0.035, jitterSeconds: 0.015),
        "4g-evening": LinkProfile(name: "4g-evening", rateBitsPerSecond: 3e6, roundTripSeconds: 0.090, jitterSeconds: 0.040),
    ]

    /// What each preset stands for, and the source of its figures.
    public static let presetSources: [String: String] = [
        "lan": "gigabit Ethernet inside a hospital (IEEE 802.3ab); a switched LAN answers a ping in well under a millisecond",
        "fibre": "a 100 Mbit/s fibre leased line between hospitals of the territory, 10 ms across a region",
        "4g": "a good 4G cell: the upload a router gets outside the busy hour, with the jitter of the radio scheduler",
        "radio": "a rented point-to-point radio link between two sites on the mainland",
        "satellite": "a modern geostationary service (VSAT, Ka band): 10 Mbit/s up; geostationary orbit at 35,786 km puts a round trip at 477 ms at light speed, 600 ms with the ground segment",
        "t1": "a T1 leased line, the floor of many hospital WAN contracts: 1.544 Mbit/s on the line, 1.536 Mbit/s of payload (ITU-T G.704) for the frames; 40 ms across the region",
        "sat-384k": "a geostationary mobile terminal (Inmarsat BGAN class, best-effort service up to about 400 kbit/s); 715 ms: the 477 ms of orbit geometry plus the terminal's access scheme and the ground network",
        "island-radio": "a microwave hop over the sea to an island, shared by its sites: a few Mbit/s left for imaging, 35 ms with the backhaul, jitter from fading and the radios' queues; add /drop=0.5% to rehearse the cuts of rain fade",
        "4g-evening": "a congested 4G cell at the evening peak: crowdsourced measurements on Arcep's 'Mon reseau mobile' show upload and latency falling well below the day's medians at busy hours; 3 Mbit/s up, 90 ms, 40 ms of jitter",
    ]

    public var oneWaySeconds: Double { roundTripSeconds / 2 }

    /// Why a link with `loss=` cannot be emulated here.
    public static let lossRefusal =
        "loss= cannot be emulated: the shaper is a TCP relay, which never loses packets (tc netem is not driven by the toolkit)"

    /// Payload per TCP segment on a 1500-byte MTU, and the headers that go with it: Ethernet 14, IP 20, TCP
    /// with timestamps 32. A link's rate carries frames: 10 Mbit/s gives TCP 9.56 Mbit/s of payload, as the
    /// kernel's tbf does.
    public static let segmentPayload = 1448, segmentHeaders = 66

    /// The bytes a link carries for `payload` bytes of a TCP stream, headers included.
    public static func framedBytes(_ payload: Int) -> Int {
        payload + (payload + segmentPayload - 1) / segmentPayload * segmentHeaders
    }

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
