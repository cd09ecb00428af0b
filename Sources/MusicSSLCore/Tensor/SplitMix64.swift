/// A small, fast, seedable random number generator (Steele, Lea and Flood's SplitMix64).
///
/// Every stochastic API in MusicSSL takes `using generator: inout some RandomNumberGenerator`;
/// this is the generator `msl --seed` builds and tests use.
///
/// ```swift
/// var generator = SplitMix64(seed: 42)
/// let noise = Tensor.randomNormal([2, 3], using: &generator)
/// ```
///
/// It is `Codable` (its whole state is one 64-bit word), so a training run can save its
/// generators and resume them exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable, Codable, Equatable {
    private var state: UInt64

    /// Creates a generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for one item of a stream (a training step, a batch): seeded by mixing
    /// `seed` and `index`, so item `index` draws the same numbers whatever ran before it.
    public init(seed: UInt64, index: UInt64) {
        var mixer = SplitMix64(seed: seed ^ 0x6A09_E667_F3BC_C909)
        let base = mixer.next()
        self.init(seed: base &+ index &* 0xD1B5_4A32_D192_ED03)
        _ = next()
    }
}
