import ArgumentParser

/// A size in bytes, written with an optional K, M, G or T suffix (powers of 1024).
public struct ByteCount: ExpressibleByArgument, Sendable {
    public let bytes: UInt64

    public init?(argument: String) {
        let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var text = argument.uppercased()
        if text.hasSuffix("B") { text.removeLast() }
        let multiplier = text.last.flatMap { units[$0] } ?? 1
        if multiplier > 1 { text.removeLast() }
        guard let value = UInt64(text), value > 0, value <= UInt64.max / multiplier else { return nil }
        bytes = value * multiplier
    }
}
