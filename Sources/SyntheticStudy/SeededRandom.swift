/// Deterministic pseudo-random numbers (xoshiro256**, seeded by SplitMix64): the same seed gives the same
/// study on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var mix = seed
        func next() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A generator for a sub-task (one image), independent of the order tasks run in.
    public func derived(_ index: Int) -> SeededRandom {
        var copy = self
        return SeededRandom(seed: copy.next() ^ (UInt64(index) &* 0xD6E8_FEB8_6659_FD93))
    }
}

/// Standard normal samples drawn from a precomputed table (fast enough for 260k pixels per slice).
struct GaussianTable: Sendable {
    static let shared = GaussianTable()
    let values: [Float]

    init() {
        var random = SeededRandom(seed: 0x5EED)
        var values = [Float](repeating: 0, count: 1 << 16)
        for index in stride(from: 0, to: values.count, by: 2) {
            let u1 = Double(random.next() >> 11) / Double(1 << 53) + 1e-12
            let u2 = Double(random.next() >> 11) / Double(1 << 53)
            let radius = (-2 * _log(u1)).squareRoot()
            values[index] = Float(radius * _cos(2 * .pi * u2))
            values[index + 1] = Float(radius * _sin(2 * .pi * u2))
        }
        self.values = values
    }
}

@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Foundation.cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Foundation.sin(x) }

import Foundation
