/// Xorshift64: the shaper's reproducible random numbers, one generator per thread.
struct XorShift {
    private var state: UInt64

    init(seed: UInt64) { state = seed | 1 }

    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Double(state >> 11) / Double(1 << 53)
    }
}
