import ArgumentParser
import DicomNetwork

extension PeerAddress: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension AllowedPeer: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// A size in bytes, written with an optional K, M or G suffix (powers of 1024).
struct ByteCount: ExpressibleByArgument {
    let bytes: UInt64

    init?(argument: String) {
        let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var text = argument.uppercased()
        if text.hasSuffix("B") { text.removeLast() }
        let multiplier = text.last.flatMap { units[$0] } ?? 1
        if multiplier > 1 { text.removeLast() }
        guard let value = UInt64(text), value > 0, value <= UInt64.max / multiplier else { return nil }
        bytes = value * multiplier
    }
}
