/// Compares the gradients autodiff computes with central finite differences.
///
/// The function may return a tensor of any shape: it is reduced to a scalar by a dot product
/// with a fixed random cotangent, so every output element takes part. Differences are taken in
/// `Float` with step ``step`` and summed in `Double`, which keeps the numerical estimate to about
/// 1e-3 relative for smooth functions of values of order one.
///
/// ```swift
/// let report = try GradientCheck().check([x, w]) { inputs in try matmul(inputs[0], inputs[1]) }
/// #expect(report.maximumError <= 1e-2)
/// ```
public struct GradientCheck {
    /// Finite-difference step.
    public var step: Float
    /// Seed of the random cotangent.
    public var seed: UInt64

    /// Creates a checker with a finite-difference `step` (1e-2 suits Float32 and values of order one).
    public init(step: Float = 1e-2, seed: UInt64 = 7) {
        self.step = step
        self.seed = seed
    }

    /// Outcome of a check.
    public struct Report: CustomStringConvertible {
        /// Per input, the largest |analytic − numeric| / max(1, |numeric|).
        public let errors: [Float]
        /// The largest of ``errors``.
        public var maximumError: Float { errors.max() ?? 0 }
        public var description: String { "GradientCheck(max error per input: \(errors))" }
    }

    /// Checks `function` at `inputs`.
    ///
    /// - Throws: whatever `function` throws, or ``TensorError`` if it returns a tensor with no
    ///   path back to the inputs.
    public func check(_ inputs: [Tensor], _ function: ([Tensor]) throws -> Tensor) throws -> Report {
        let leaves = inputs.map { $0.detached().copy().requiringGradient() }
        let output = try function(leaves)
        var generator = SplitMix64(seed: seed)
        let cotangent = Tensor.randomNormal(output.shape, using: &generator)
        try output.backward(cotangent)
        let weights = cotangent.scalars.map(Double.init)

        func objective(_ values: [Tensor]) throws -> Double {
            let result = try noGrad { try function(values) }.scalars
            return zip(result, weights).reduce(0) { $0 + Double($1.0) * $1.1 }
        }

        var errors: [Float] = []
        for (index, leaf) in leaves.enumerated() {
            let analytic = leaf.gradient?.scalars ?? [Float](repeating: 0, count: leaf.count)
            var worst: Float = 0
            for element in 0..<leaf.count {
                var values = leaves.map { $0.detached() }
                var plus = values[index].copy()
                plus.withUnsafeMutableBufferPointer { $0[element] += step }
                var minus = values[index].copy()
                minus.withUnsafeMutableBufferPointer { $0[element] -= step }
                values[index] = plus
                let up = try objective(values)
                values[index] = minus
                let down = try objective(values)
                let numeric = Float((up - down) / (2 * Double(step)))
                let error = Swift.abs(analytic[element] - numeric) / Swift.max(1, Swift.abs(numeric))
                worst = Swift.max(worst, error.isNaN ? .infinity : error)
            }
            errors.append(worst)
        }
        return Report(errors: errors)
    }
}
