import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

@Suite("Optimizer behaviour")
struct OptimizerBehaviourTests {
    @Test("frozen parameters and parameters without a gradient are skipped")
    func skipsFrozenAndGradientless() throws {
        let trained = Parameter(Tensor([1, 2]))
        let frozen = Parameter(Tensor([1, 2]), isTrainable: false)
        let untouched = Parameter(Tensor([1, 2]))
        try trained.setGradient(Tensor([1, 1]))
        let optimizer = try AdamW()
        try optimizer.update([trained, frozen, untouched], learningRate: 0.1)
        #expect(trained.value.scalars != [1, 2])
        #expect(frozen.value.scalars == [1, 2])
        #expect(untouched.value.scalars == [1, 2])
        let state = try optimizer.stateTensors(names: [
            ("a", trained), ("b", frozen), ("c", untouched),
        ])
        #expect(Set(state.keys) == ["step_count", "a.step", "a.exp_avg", "a.exp_avg_sq"])
    }

    @Test("Adam's eight-lane loop gives every element exactly what the one-element formula gives")
    func vectorisedAdamMatchesScalarFormula() throws {
        // 21 elements: two eight-lane blocks and a tail of five; both ε placements, three steps.
        for placement in [AdamW.EpsilonPlacement.afterBiasCorrection, .beforeBiasCorrection] {
            var generator = SplitMix64(seed: 3)
            let parameter = Parameter(Tensor.randomNormal([21], using: &generator))
            let optimizer = try AdamW(beta2: 0.98, epsilon: 1e-6, weightDecay: 0.01, epsilonPlacement: placement)
            var p = parameter.value.scalars.map(Double.init).map(Float.init)
            var m = [Float](repeating: 0, count: 21)
            var v = [Float](repeating: 0, count: 21)
            let (lr, b1, b2, wd, eps) = (1e-3, 0.9, 0.98, 0.01, Float(1e-6))
            for step in 1...3 {
                let gradient = Tensor.randomNormal([21], using: &generator)
                try parameter.setGradient(gradient)
                try optimizer.update([parameter], learningRate: Float(lr))
                let bc1 = 1 - pow(b1, Double(step)), bc2 = 1 - pow(b2, Double(step))
                for i in 0..<21 {
                    let g = gradient.scalars[i]
                    switch placement {
                    case .afterBiasCorrection:
                        m[i] = m[i].addingProduct(Float(1 - b1), g - m[i])
                        v[i] = (v[i] * Float(b2)).addingProduct(Float(1 - b2) * g, g)
                        let denominator = v[i].squareRoot() / Float(bc2.squareRoot()) + eps
                        p[i] = p[i] * Float(1 - lr * wd) + Float(-lr / bc1) * m[i] / denominator
                    case .beforeBiasCorrection:
                        m[i] = (m[i] * Float(b1)).addingProduct(Float(1 - b1), g)
                        v[i] = (v[i] * Float(b2)).addingProduct(Float(1 - b2) * g, g)
                        let decayed = p[i].addingProduct(Float(-wd * lr), p[i])
                        p[i] = decayed + Float(-lr * bc2.squareRoot() / bc1) * m[i] / (v[i].squareRoot() + eps)
                    }
                }
                #expect(parameter.value.scalars == p, "\(placement), step \(step)")
            }
        }
    }

    @Test("the update writes the parameter's storage in place")
    func updatesInPlace() throws {
        let parameter = Parameter(Tensor.ones([1024]))
        try parameter.setGradient(Tensor.ones([1024]))
        let before = parameter.value.withUnsafeBufferPointer { $0.baseAddress }
        try AdamW().update([parameter], learningRate: 0.01)
        try SGD(momentum: 0.9).update([parameter], learningRate: 0.01)
        #expect(parameter.value.withUnsafeBufferPointer { $0.baseAddress } == before)
    }

    @Test("saved state restores a run bit for bit")
    func stateRoundTrip() throws {
        for makeOptimizer in [
            { try AdamW(weightDecay: 0.1) as any Optimizer },
            { try SGD(momentum: 0.9, weightDecay: 0.01) as any Optimizer },
        ] {
            var generator = SplitMix64(seed: 11)
            let gradients = (0..<6).map { _ in Tensor.randomNormal([3, 2], using: &generator) }
            let start = Tensor.randomNormal([3, 2], using: &generator)

            let straight = Parameter(start)
            let reference = try makeOptimizer()
            for gradient in gradients {
                try straight.setGradient(gradient)
                try reference.update([straight], learningRate: 0.05)
            }

            let resumed = Parameter(start)
            let first = try makeOptimizer()
            for gradient in gradients[..<3] {
                try resumed.setGradient(gradient)
                try first.update([resumed], learningRate: 0.05)
            }
            let saved = try first.stateTensors(names: [("w", resumed)])
            let savedScalars = saved.mapValues(\.scalars)
            let second = try makeOptimizer()
            try second.loadState(saved, names: [("w", resumed)])
            #expect(second.stepCount == 3)
            for gradient in gradients[3...] {
                try resumed.setGradient(gradient)
                try second.update([resumed], learningRate: 0.05)
            }
            #expect(resumed.value.scalars == straight.value.scalars)
            // The saved tensors are values: later updates did not write through to them.
            #expect(saved.mapValues(\.scalars) == savedScalars)
        }
    }

    @Test("state for a renamed or reshaped parameter is refused")
    func refusesMismatchedState() throws {
        let parameter = Parameter(Tensor.zeros([2, 2]))
        try parameter.setGradient(Tensor.ones([2, 2]))
        let optimizer = try AdamW()
        try optimizer.update([parameter], learningRate: 0.1)
        let saved = try optimizer.stateTensors(names: [("w", parameter)])
        #expect(throws: OptimizationError.self) {
            try optimizer.loadState(saved, names: [("renamed", parameter)])
        }
        #expect(throws: OptimizationError.self) {
            try optimizer.loadState(saved, names: [("w", Parameter(Tensor.zeros([4])))])
        }
        #expect(throws: OptimizationError.self) { try optimizer.stateTensors(names: []) }
        parameter.value = Tensor.zeros([3])
        try parameter.setGradient(Tensor.ones([3]))
        #expect(throws: OptimizationError.self) {
            try optimizer.update([parameter], learningRate: 0.1)
        }
    }

    @Test("invalid hyper-parameters throw")
    func invalidHyperParameters() {
        #expect(throws: OptimizationError.self) { try AdamW(beta1: 1) }
        #expect(throws: OptimizationError.self) { try AdamW(epsilon: -1) }
        #expect(throws: OptimizationError.self) { try SGD(usesNesterovMomentum: true) }
        #expect(throws: OptimizationError.self) { try SGD(weightDecay: -0.1) }
    }

    @Test("scaling gradients divides accumulated micro-batch gradients")
    func scalesAccumulatedGradients() throws {
        let weight = Parameter(Tensor([2, -1]))
        let frozen = Parameter(Tensor([5]), isTrainable: false)
        for input in [Tensor([1, 1]), Tensor([3, 5])] {
            try (weight.tensor * input).sum().backward()
        }
        #expect(weight.gradient?.scalars == [4, 6])
        try scaleGradients(of: [weight, frozen], by: 0.5)
        #expect(weight.gradient?.scalars == [2, 3])
        #expect(frozen.gradient == nil)
    }
}
