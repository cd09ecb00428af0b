import MusicSSLTestSupport
import MusicSSLTrain
import Testing

@Suite("Gradient clipping")
struct GradientClippingTests {
    @Test("clipping scales to the maximum norm and returns the norm before clipping")
    func clipsByGlobalNorm() throws {
        let a = Parameter(Tensor([0, 0]))
        let b = Parameter(Tensor([0]))
        try a.setGradient(Tensor([3, 0]))
        try b.setGradient(Tensor([4]))
        let norm = try clipGradientNorm(of: [a, b], maximumNorm: 1)
        #expect(norm == 5)
        // torch: scale = max_norm / (norm + 1e-6).
        let scale: Float = 1 / (5 + 1e-6)
        #expect(a.gradient?.scalars == [3 * scale, 0])
        #expect(b.gradient?.scalars == [4 * scale])
        #expect(Swift.abs(globalGradientNorm(of: [a, b]) - 1) < 1e-6)
    }

    @Test("gradients under the maximum norm are left unchanged")
    func leavesSmallGradients() throws {
        let a = Parameter(Tensor([0, 0]))
        try a.setGradient(Tensor([0.3, 0.4]))
        #expect(try clipGradientNorm(of: [a], maximumNorm: 1) == Float(0.5))
        #expect(a.gradient?.scalars == [0.3, 0.4])
    }

    @Test("a NaN or infinite norm is returned and nothing is scaled")
    func reportsNonFiniteNorm() throws {
        let a = Parameter(Tensor([0, 0]))
        let b = Parameter(Tensor([0]))
        try a.setGradient(Tensor([.nan, 1]))
        try b.setGradient(Tensor([100]))
        #expect(try clipGradientNorm(of: [a, b], maximumNorm: 1).isNaN)
        #expect(b.gradient?.scalars == [100])
        try a.setGradient(Tensor([.infinity, 1]))
        #expect(try clipGradientNorm(of: [a, b], maximumNorm: 1) == .infinity)
        #expect(b.gradient?.scalars == [100])
    }

    @Test("the norm of a long gradient split across threads matches a Double sum")
    func normOfLongGradient() throws {
        var generator = SplitMix64(seed: 9)
        let gradient = Tensor.randomNormal([300_001], using: &generator)
        let parameter = Parameter(Tensor.zeros([300_001]))
        try parameter.setGradient(gradient)
        let expected = gradient.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let norm = globalGradientNorm(of: [parameter])
        #expect(Swift.abs(Double(norm) - expected) / expected < 1e-6, "\(norm) vs \(expected)")
    }

    @Test("a maximum norm that is not positive throws")
    func refusesBadMaximum() {
        #expect(throws: OptimizationError.self) { try clipGradientNorm(of: [], maximumNorm: 0) }
    }
}
