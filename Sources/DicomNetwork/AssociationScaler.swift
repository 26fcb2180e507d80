import Foundation

/// How many associations keep a link busy (`--associations auto`). C-STORE is lockstep: each association
/// sends an object, then waits a round trip for the answer. With objects of `S` bytes, a round trip of `T`
/// and a link of `R` bytes per second, one association leaves the link idle `T / (T + S/R)` of the time, and
/// `1 + T·R/S` associations fill it when their round trips are perfectly staggered. They bunch up instead
/// (all send together, then all wait a round trip): N bunched associations keep the link busy
/// `N·S/R / (N·S/R + T)` of the time, so the count is `1 + 6·T·R/S` rounded up, six bandwidth-delay products
/// in flight, at least 6/7 of the link when fully bunched (measured: 10 Mbit/s, 100 ms, 100 KB objects, four
/// associations reach 80% of the link, eight 99%). `T` is a
/// C-ECHO's round trip on the first association (or, from a peer without Verification, half the quickest
/// association set-up); `R` is the fastest store seen (bytes over its duration minus `T`, times the stores
/// sharing the link with it), which grows to the
/// link's rate as TCP's windows open; `S` is the mean size stored. The count only grows, from `minimum` to
/// `maximum`, or to what the peer accepts: an association it turns away (refused as busy, or closed) stops the growth there.
public struct AssociationScaler: Sendable {
    public static let minimum = 2
    public static let maximum = 16

    public private(set) var roundTripSeconds: Double?
    public private(set) var fastestBytesPerSecond = 0.0
    private var bytes = 0, stores = 0
    public private(set) var target = Self.minimum
    /// The most associations the peer accepted (its limit per caller), once it refused one.
    public private(set) var peerLimit: Int?
    /// Whether `roundTripSeconds` comes from a C-ECHO.
    public private(set) var echoed = false

    public init() {}

    /// An association's set-up took `seconds`.
    public mutating func noteSetUp(seconds: Double) {
        if !echoed { roundTripSeconds = min(roundTripSeconds ?? .infinity, seconds / 2) }
    }

    /// A C-ECHO on an association took `seconds`.
    public mutating func noteEcho(seconds: Double) {
        roundTripSeconds = echoed ? min(roundTripSeconds ?? seconds, seconds) : seconds
        echoed = true
    }

    /// One object stored; returns the count now wanted.
    /// `sharing`: stores in flight when this one began (itself included); they shared the link, so its rate
    /// is that many times what this store saw (an overestimate when some were waiting for their answer, which
    /// errs towards more associations).
    public mutating func noteStored(bytes size: Int, seconds: Double, sharing: Int = 1) -> Int {
        bytes += size
        stores += 1
        let roundTrip = roundTripSeconds ?? 0
        // A store answered in less than the round trip (a clock's jitter) says nothing about the rate.
        if seconds > roundTrip * 1.05, size > 0 {
            fastestBytesPerSecond = max(fastestBytesPerSecond, Double(max(1, sharing) * size) / (seconds - roundTrip))
        }
        let meanSize = Double(bytes) / Double(stores)
        guard fastestBytesPerSecond > 0, meanSize > 0 else { return target }
        let wanted = Int((1 + 6 * roundTrip * fastestBytesPerSecond / meanSize).rounded(.up))
        target = min(peerLimit ?? Self.maximum, max(target, wanted))
        return target
    }

    /// The peer refused an association beyond `count`; true the first time.
    public mutating func cap(at count: Int) -> Bool {
        defer { peerLimit = min(peerLimit ?? count, count) }
        return peerLimit == nil
    }

    /// The reasoning, for the log line.
    public var explanation: String {
        String(format: "round trip %.0f ms, fastest store %.1f Mbit/s, mean object %.0f KB: %d associations",
               (roundTripSeconds ?? 0) * 1000, fastestBytesPerSecond * 8 / 1e6,
               stores > 0 ? Double(bytes) / Double(stores) / 1000 : 0, target)
    }
}
