/// UIDs of the form 2.25.<128-bit decimal>, derived from the seed: unique per study and object, identical on
/// every run with the same seed.
struct UIDFactory {
    private var random: SeededRandom

    init(seed: UInt64) { random = SeededRandom(seed: seed ^ 0x0123_4567_89AB_CDEF) }

    mutating func next() -> String {
        let value = UInt128(random.next()) << 64 | UInt128(random.next())
        return "2.25.\(value)"
    }
}
