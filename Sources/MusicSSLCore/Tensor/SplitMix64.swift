/// A small, fast, seedable random number generator (Steele, Lea and Flood's SplitMix64).
///
/// Every stochastic API in MusicSSL takes `using generator: inout some RandomNumberGenerator`;
/// this is the generator `msl --seed` builds and tests use.
///
/// ```swift
/// var generator = SplitMix64(seed: 42)
/// let noise = Tensor.randomNormal([2, 3], using: &generator)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
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
}
