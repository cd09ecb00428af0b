import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

/// Replays `Tests/FixtureGenerators/optimizers.py`: three parameters, five updates with the
/// recorded gradients and learning rates (parameter 1 has no gradient at step 2).
@Suite("Optimizer parity with PyTorch and fairseq")
struct OptimizerParityTests {
    /// Largest elementwise |actual − expected| / max(|expected|, 1e-3) allowed.
    static let relativeTolerance: Float = 1e-6
    static let parameterCount = 3
    static let stepCount = 5

    let fixture: [String: Tensor]

    init() throws {
        fixture = try Fixture.load("optimizers", in: Bundle.module)
    }

    private func tensor(_ key: String) throws -> Tensor {
        guard let value = fixture[key] else { throw FixtureKeyMissing(key: key) }
        return value
    }

    /// Largest elementwise |a − b| / max(|b|, 1e-3).
    private func relativeError(_ actual: Tensor, _ expected: Tensor) -> Float {
        guard actual.shape == expected.shape else { return .infinity }
        var worst: Float = 0
        for (a, b) in zip(actual.scalars, expected.scalars) {
            let error = Swift.abs(a - b) / Swift.max(Swift.abs(b), 1e-3)
            if !(error <= worst) { worst = error.isNaN ? .infinity : error }
        }
        return worst
    }

    /// Runs `optimizer` over the recorded steps; returns the parameters and their names.
    private func replay(_ optimizer: any Optimizer) throws -> [(name: String, parameter: Parameter)]
    {
        let parameters = try (0..<Self.parameterCount).map {
            (name: "p\($0)", parameter: Parameter(try tensor("initial.p\($0)")))
        }
        let learningRates = try tensor("lr").scalars
        for step in 0..<Self.stepCount {
            for (name, parameter) in parameters {
                try parameter.setGradient(fixture["grad.\(step).\(name)"])
            }
            try optimizer.update(parameters.map(\.parameter), learningRate: learningRates[step])
        }
        return parameters
    }

    /// Compares final parameters and every state tensor with the fixture's `case`.
    private func compare(_ optimizer: any Optimizer, case name: String, stateNames: [String]) throws
    {
        let parameters = try replay(optimizer)
        let state = try optimizer.stateTensors(names: parameters)
        for (parameterName, parameter) in parameters {
            let error = relativeError(parameter.value, try tensor("\(name).final.\(parameterName)"))
            print("[\(name)] \(parameterName) max relative error \(error)")
            #expect(error <= Self.relativeTolerance, "\(name) \(parameterName)")
            for stateName in stateNames {
                let expected = try tensor("\(name).state.\(parameterName).\(stateName)")
                let actual = state["\(parameterName).\(stateName)"] ?? Tensor([])
                let stateError = relativeError(actual, expected)
                #expect(
                    stateError <= Self.relativeTolerance,
                    "\(name) \(parameterName).\(stateName): \(stateError)")
            }
        }
        #expect(state["step_count"]?.scalars == [Float(Self.stepCount)])
    }

    @Test("AdamW matches torch.optim.AdamW")
    func adamWMatchesTorch() throws {
        let h = try tensor("adamw_torch.hyper").scalars
        let optimizer = try AdamW(beta1: h[0], beta2: h[1], epsilon: h[2], weightDecay: h[3])
        try compare(optimizer, case: "adamw_torch", stateNames: ["step", "exp_avg", "exp_avg_sq"])
    }

    @Test("AdamW with epsilon before bias correction matches fairseq's Adam")
    func adamMatchesFairseq() throws {
        let h = try tensor("adam_fairseq.hyper").scalars
        let optimizer = try AdamW(
            beta1: h[0], beta2: h[1], epsilon: h[2], weightDecay: h[3],
            epsilonPlacement: .beforeBiasCorrection)
        try compare(optimizer, case: "adam_fairseq", stateNames: ["step", "exp_avg", "exp_avg_sq"])
    }

    @Test(
        "SGD matches torch.optim.SGD with momentum, Nesterov momentum and none",
        arguments: ["sgd_momentum", "sgd_nesterov", "sgd_plain"])
    func sgdMatchesTorch(name: String) throws {
        let h = try tensor("\(name).hyper").scalars
        let optimizer = try SGD(momentum: h[0], weightDecay: h[1], usesNesterovMomentum: h[2] != 0)
        try compare(optimizer, case: name, stateNames: h[0] > 0 ? ["momentum_buffer"] : [])
    }

    @Test("clipping matches torch.nn.utils.clip_grad_norm_")
    func clippingMatchesTorch() throws {
        for (index, maximumNorm) in try tensor("clip.max_norm").scalars.enumerated() {
            let parameters = try (0..<Self.parameterCount).map { i in
                let gradient = try tensor("clip.grad.p\(i)")
                let parameter = Parameter(Tensor.zeros(gradient.shape))
                try parameter.setGradient(gradient)
                return parameter
            }
            let norm = try clipGradientNorm(of: parameters, maximumNorm: maximumNorm)
            let expectedNorm = try tensor("clip.\(index).total_norm")
            #expect(
                relativeError(Tensor([norm]), try expectedNorm.reshaped(to: [1]))
                    <= Self.relativeTolerance)
            for (i, parameter) in parameters.enumerated() {
                let expected = try tensor("clip.\(index).clipped.p\(i)")
                let error = relativeError(parameter.gradient ?? Tensor([]), expected)
                print("[clip \(maximumNorm)] p\(i) max relative error \(error)")
                #expect(error <= Self.relativeTolerance)
            }
        }
    }
}

/// A key the fixture generator should have written.
private struct FixtureKeyMissing: Error {
    let key: String
}
