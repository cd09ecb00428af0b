import MusicSSLTestSupport
import MusicSSLTrain
import Testing

@Suite("Optimizer convergence")
struct OptimizerConvergenceTests {
    /// Fits `y = 3x − 2` with a 1 × 1 linear map and returns the final mean squared error.
    private func fitLine(with optimizer: any Optimizer, learningRate: Float, steps: Int) throws
        -> Float
    {
        var generator = SplitMix64(seed: 3)
        let x = Tensor.randomUniform([32, 1], lowerBound: -1, upperBound: 1, using: &generator)
        let y = 3 * x - 2
        let weight = Parameter(Tensor.zeros([1, 1]))
        let bias = Parameter(Tensor.zeros([1]))
        var loss: Float = .infinity
        for _ in 0..<steps {
            weight.zeroGradient()
            bias.zeroGradient()
            let error = try matmul(x, weight.tensor) + bias.tensor - y
            let objective = try error.squared().mean()
            loss = try objective.item()
            try objective.backward()
            try optimizer.update([weight, bias], learningRate: learningRate)
        }
        return loss
    }

    @Test("AdamW fits y = 3x − 2")
    func adamWFitsLine() throws {
        let loss = try fitLine(with: AdamW(weightDecay: 0), learningRate: 0.1, steps: 300)
        #expect(loss < 1e-4, "final loss \(loss)")
    }

    @Test("SGD with momentum fits y = 3x − 2")
    func sgdFitsLine() throws {
        let loss = try fitLine(with: SGD(momentum: 0.9), learningRate: 0.1, steps: 300)
        #expect(loss < 1e-4, "final loss \(loss)")
    }

    @Test("AdamW trains a two-layer ReLU regression under a warmup schedule")
    func adamWFitsTwoLayerNetwork() throws {
        var generator = SplitMix64(seed: 5)
        let x = Tensor.randomUniform([64, 2], lowerBound: -1, upperBound: 1, using: &generator)
        // y = |x₀| + x₁, which a ReLU layer can represent exactly.
        let target = try x.sliced(alongAxis: 1, 0..<1).abs() + x.sliced(alongAxis: 1, 1..<2)
        let w1 = Parameter(Tensor.randomNormal([2, 16], standardDeviation: 0.5, using: &generator))
        let b1 = Parameter(Tensor.zeros([16]))
        let w2 = Parameter(
            Tensor.randomNormal([16, 1], standardDeviation: 0.25, using: &generator))
        let b2 = Parameter(Tensor.zeros([1]))
        let parameters = [w1, b1, w2, b2]
        let optimizer = try AdamW(
            beta2: 0.98, epsilon: 1e-6, epsilonPlacement: .beforeBiasCorrection)
        let schedule = try LinearWarmupPolynomialDecay(
            peakLearningRate: 0.03, warmupSteps: 20, totalSteps: 500)
        var losses: [Float] = []
        for step in 0..<500 {
            for parameter in parameters { parameter.zeroGradient() }
            let hidden = try (matmul(x, w1.tensor) + b1.tensor).relu()
            let objective = try (matmul(hidden, w2.tensor) + b2.tensor - target).squared().mean()
            losses.append(try objective.item())
            try objective.backward()
            try clipGradientNorm(of: parameters, maximumNorm: 1)
            try optimizer.update(parameters, learningRate: schedule.learningRate(atStep: step))
        }
        #expect(losses[losses.count - 1] < 2e-3, "loss \(losses[0]) → \(losses[losses.count - 1])")
        #expect(optimizer.stepCount == 500)
    }
}
