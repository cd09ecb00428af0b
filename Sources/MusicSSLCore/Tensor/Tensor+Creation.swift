extension Tensor {
    /// A tensor of `shape` filled with zeros.
    public static func zeros(_ shape: [Int]) -> Tensor {
        full(shape, value: 0)
    }

    /// A tensor of `shape` filled with ones.
    public static func ones(_ shape: [Int]) -> Tensor {
        full(shape, value: 1)
    }

    /// A tensor of `shape` with every element equal to `value`.
    public static func full(_ shape: [Int], value: Float) -> Tensor {
        filling(shape) { $0.initialize(repeating: value, count: shape.reduce(1, *)) }
    }

    /// A tensor of zeros with the shape of `other`.
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape) }

    /// `[0, 1, …, count − 1]` as floats.
    public static func arange(_ count: Int) -> Tensor {
        filling([count]) { pointer in
            for i in 0..<count { pointer[i] = Float(i) }
        }
    }

    /// Samples from N(`mean`, `standardDeviation`²) with the Box–Muller transform.
    public static func randomNormal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
        using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        filling(shape) { pointer in
            let count = shape.reduce(1, *)
            var i = 0
            while i < count {
                // 24-bit uniforms in (0, 1]; the log never sees zero.
                let u1 = Float(generator.next() >> 40 &+ 1) * 0x1p-24
                let u2 = Float(generator.next() >> 40) * 0x1p-24
                let radius = (-2 * _logf(u1)).squareRoot() * standardDeviation
                let angle = 2 * Float.pi * u2
                pointer[i] = mean + radius * _cosf(angle)
                if i + 1 < count { pointer[i + 1] = mean + radius * _sinf(angle) }
                i += 2
            }
        }
    }

    /// Samples uniformly from [`lowerBound`, `upperBound`).
    public static func randomUniform(
        _ shape: [Int], lowerBound: Float = 0, upperBound: Float = 1,
        using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        filling(shape) { pointer in
            let span = upperBound - lowerBound
            for i in 0..<shape.reduce(1, *) {
                pointer[i] = lowerBound + span * (Float(generator.next() >> 40) * 0x1p-24)
            }
        }
    }
}
