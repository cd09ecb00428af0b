import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Losses")
struct LossTests {
    @Test("cross-entropy matches −log softmax at the target and skips ignored rows")
    func crossEntropyValue() throws {
        let logits = try Tensor(shape: [3, 2], scalars: [0, 0, 1, 3, 2, -1])
        let loss = try crossEntropy(logits: logits, targets: [1, -100, 0])
        let expected = (logf(2) + log1pf(expf(-3))) / 2
        #expect(abs(try loss.item() - expected) < 1e-6)
        let each = try crossEntropy(logits: logits, targets: [1, -100, 0], reduction: .none)
        #expect(each.shape == [3] && each.scalars[1] == 0)
        let total = try crossEntropy(logits: logits, targets: [1, -100, 0], reduction: .sum)
        #expect(abs(try total.item() - 2 * expected) < 1e-6)
    }

    @Test("cross-entropy with every target ignored is NaN for mean, 0 for sum")
    func crossEntropyAllIgnored() throws {
        let logits = Tensor.zeros([2, 3])
        #expect(try crossEntropy(logits: logits, targets: [-100, -100]).item().isNaN)
        #expect(
            try crossEntropy(logits: logits, targets: [7, 7], ignoreIndex: 7, reduction: .sum)
                .item() == 0)
    }

    @Test("cross-entropy rejects bad targets and shapes")
    func crossEntropyErrors() throws {
        let logits = Tensor.zeros([2, 3])
        #expect(throws: TensorError.self) { try crossEntropy(logits: logits, targets: [0, 3]) }
        #expect(throws: TensorError.self) { try crossEntropy(logits: logits, targets: [0]) }
        #expect(throws: TensorError.self) {
            try crossEntropy(logits: Tensor.zeros([6]), targets: [0])
        }
    }

    @Test("cross-entropy gradients match finite differences for every reduction")
    func crossEntropyGradients() throws {
        var generator = SplitMix64(seed: 11)
        let logits = Tensor.randomNormal([4, 5], using: &generator)
        let targets = [2, -100, 4, 0]
        for reduction in [LossReduction.mean, .sum, .none] {
            let report = try GradientCheck().check([logits]) {
                try crossEntropy(logits: $0[0], targets: targets, reduction: reduction)
            }
            #expect(report.maximumError < 1e-2)
        }
    }

    @Test("stable BCE with logits stays finite for huge logits")
    func binaryCrossEntropyStable() throws {
        let logits = Tensor([200, -200, 0])
        let targets = Tensor([1, 1, 0.5])
        let loss = try binaryCrossEntropyWithLogits(
            logits: logits, targets: targets, reduction: .none)
        #expect(loss.isClose(to: Tensor([0, 200, logf(2)]), absoluteTolerance: 1e-5))
    }

    @Test("BCE, MSE and smooth L1 gradients match finite differences for both operands")
    func elementwiseGradients() throws {
        var generator = SplitMix64(seed: 12)
        let prediction = Tensor.randomNormal([3, 4], using: &generator)
        let target = Tensor.randomUniform([3, 4], using: &generator)
        let check = GradientCheck()
        for reduction in [LossReduction.mean, .sum, .none] {
            #expect(
                try check.check([prediction, target]) {
                    try binaryCrossEntropyWithLogits(
                        logits: $0[0], targets: $0[1], reduction: reduction)
                }.maximumError < 1e-2)
            #expect(
                try check.check([prediction, target]) {
                    try meanSquaredError($0[0], $0[1], reduction: reduction)
                }.maximumError < 1e-2)
            #expect(
                try check.check([prediction * 3, target]) {
                    try smoothL1Loss($0[0], $0[1], beta: 0.5, reduction: reduction)
                }.maximumError < 1e-2)
        }
    }

    @Test("smooth L1 with beta 0 is the L1 loss, and negative beta throws")
    func smoothL1Beta() throws {
        let p = Tensor([1, -2, 0.25])
        let t = Tensor([0, 0, 0])
        #expect(try smoothL1Loss(p, t, beta: 0, reduction: .sum).item() == 3.25)
        #expect(try smoothL1Loss(p, t, beta: 1, reduction: .none).scalars == [0.5, 1.5, 0.031_25])
        #expect(throws: TensorError.self) { try smoothL1Loss(p, t, beta: -1) }
    }

    @Test("elementwise losses reject operands of different shapes")
    func shapeMismatch() throws {
        #expect(throws: TensorError.self) {
            try meanSquaredError(Tensor.zeros([2, 3]), Tensor.zeros([3]))
        }
    }
}
