import MusicSSLTestSupport
import Testing

@Suite("Dropout")
struct DropoutTests {
    @Test("zero fraction is about p and the mean is kept")
    func statistics() throws {
        var generator = SplitMix64(seed: 41)
        let x = Tensor.ones([200_000])
        let y = try dropout(x, probability: 0.3, using: &generator).scalars
        let zeroFraction = Float(y.filter { $0 == 0 }.count) / Float(y.count)
        let mean = y.reduce(0, +) / Float(y.count)
        #expect(abs(zeroFraction - 0.3) < 0.005)
        #expect(abs(mean - 1) < 0.01)
        #expect(y.allSatisfy { $0 == 0 || abs($0 - 1 / 0.7) < 1e-6 })
    }

    @Test("a fixed seed reproduces the mask and different seeds change it")
    func reproducible() throws {
        let x = Tensor.ones([10_000])
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        var third = SplitMix64(seed: 43)
        let a = try dropout(x, probability: 0.5, using: &first)
        let b = try dropout(x, probability: 0.5, using: &second)
        let c = try dropout(x, probability: 0.5, using: &third)
        #expect(a.scalars == b.scalars)
        #expect(a.scalars != c.scalars)
    }

    @Test("backward applies exactly the forward mask")
    func backwardUsesForwardMask() throws {
        var generator = SplitMix64(seed: 44)
        let x = Tensor.randomUniform([9000], lowerBound: 1, upperBound: 2, using: &generator)
            .requiringGradient()
        let y = try dropout(x, probability: 0.25, using: &generator)
        try y.backward(Tensor.ones(x.shape))
        let gradient = try #require(x.gradient).scalars
        for (i, value) in y.scalars.enumerated() {
            #expect(gradient[i] == (value == 0 ? 0 : 1 / Float(0.75)))
        }
    }

    @Test("gradient matches finite differences under a fixed seed")
    func gradient() throws {
        var generator = SplitMix64(seed: 45)
        let x = Tensor.randomNormal([3, 5], using: &generator)
        let report = try GradientCheck().check([x]) { inputs in
            var fixed = SplitMix64(seed: 46)
            return try dropout(inputs[0], probability: 0.4, using: &fixed)
        }
        #expect(report.maximumError < 1e-2)
    }

    @Test("probability 0 is the identity, 1 gives zeros, outside [0, 1] throws")
    func edgeProbabilities() throws {
        var generator = SplitMix64(seed: 47)
        let x = Tensor.ones([5])
        #expect(try dropout(x, probability: 0, using: &generator).scalars == x.scalars)
        #expect(try dropout(x, probability: 1, using: &generator).scalars == [0, 0, 0, 0, 0])
        #expect(throws: TensorError.self) { try dropout(x, probability: 1.5, using: &generator) }
    }
}
