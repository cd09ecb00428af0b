import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Convolutions")
struct ConvolutionTests {
    /// Values and gradients agree with PyTorch (float64 reference) to this; measured ≤ 1e-6.
    static let parityTolerance: Float = 1e-4

    @Test("conv1d gradients match finite differences for stride, padding, dilation and groups")
    func conv1dGradients() throws {
        var generator = SplitMix64(seed: 11)
        let check = GradientCheck()
        // (input, weight, bias?, stride, padding, dilation, groups)
        let cases: [([Int], [Int], Bool, Int, Int, Int, Int)] = [
            ([2, 3, 9], [4, 3, 3], true, 1, 0, 1, 1),
            ([2, 4, 11], [6, 2, 4], true, 2, 2, 1, 2),
            ([1, 3, 12], [2, 3, 3], false, 1, 3, 2, 1),
            ([2, 4, 5], [6, 2, 1], true, 1, 0, 1, 2),
            ([2, 1, 23], [3, 1, 10], false, 5, 0, 1, 1),
            ([1, 4, 7], [4, 1, 6], true, 1, 3, 1, 4),
        ]
        for (inputShape, weightShape, usesBias, stride, padding, dilation, groups) in cases {
            let x = Tensor.randomNormal(inputShape, using: &generator)
            let w = Tensor.randomNormal(weightShape, using: &generator)
            let b = Tensor.randomNormal([weightShape[0]], using: &generator)
            let report = try check.check(usesBias ? [x, w, b] : [x, w]) {
                try conv1d($0[0], weight: $0[1], bias: usesBias ? $0[2] : nil, stride: stride,
                           padding: padding, dilation: dilation, groups: groups)
            }
            #expect(report.maximumError < 1e-2, "\(inputShape) * \(weightShape): \(report)")
        }
    }

    @Test("convTranspose1d gradients match finite differences")
    func convTransposeGradients() throws {
        var generator = SplitMix64(seed: 12)
        let check = GradientCheck()
        // (input, weight, bias?, stride, padding, outputPadding, dilation, groups)
        let cases: [([Int], [Int], Bool, Int, Int, Int, Int, Int)] = [
            ([2, 4, 7], [4, 3, 4], true, 2, 1, 1, 1, 1),
            ([2, 4, 5], [4, 2, 3], false, 3, 2, 1, 2, 2),
            ([1, 2, 6], [2, 3, 1], true, 1, 0, 0, 1, 1),
            ([1, 3, 4], [3, 2, 5], false, 1, 2, 0, 1, 1),
        ]
        for (inputShape, weightShape, usesBias, stride, padding, outputPadding, dilation, groups)
            in cases
        {
            let x = Tensor.randomNormal(inputShape, using: &generator)
            let w = Tensor.randomNormal(weightShape, using: &generator)
            let b = Tensor.randomNormal([weightShape[1] * groups], using: &generator)
            let report = try check.check(usesBias ? [x, w, b] : [x, w]) {
                try convTranspose1d(
                    $0[0], weight: $0[1], bias: usesBias ? $0[2] : nil, stride: stride,
                    padding: padding, outputPadding: outputPadding, dilation: dilation,
                    groups: groups)
            }
            #expect(report.maximumError < 1e-2, "\(inputShape) * \(weightShape): \(report)")
        }
    }

    @Test("conv1d matches PyTorch values and gradients")
    func conv1dParity() throws {
        let fixture = try Fixture.load("conv_norm", in: Bundle.module)
        let runs: [(String, [String], ([Tensor]) throws -> Tensor)] = [
            ("conv_grouped", ["input", "weight", "bias"], {
                try conv1d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 2, groups: 2)
            }),
            ("conv_dilated", ["input", "weight"], {
                try conv1d($0[0], weight: $0[1], padding: 3, dilation: 2)
            }),
            ("conv_first", ["input", "weight"], { try conv1d($0[0], weight: $0[1], stride: 5) }),
            ("conv_positional", ["input", "weight", "bias"], {
                try conv1d($0[0], weight: $0[1], bias: $0[2], padding: 3, groups: 4)
            }),
        ]
        for (name, inputs, op) in runs {
            try ReferenceCase(name: name, tensors: fixture)
                .expectParity(inputs: inputs, tolerance: Self.parityTolerance, op)
        }
    }

    @Test("convTranspose1d matches PyTorch values and gradients")
    func convTransposeParity() throws {
        let fixture = try Fixture.load("conv_norm", in: Bundle.module)
        let runs: [(String, [String], ([Tensor]) throws -> Tensor)] = [
            ("convT_strided", ["input", "weight", "bias"], {
                try convTranspose1d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1,
                                    outputPadding: 1)
            }),
            ("convT_grouped", ["input", "weight"], {
                try convTranspose1d($0[0], weight: $0[1], stride: 3, padding: 2, outputPadding: 1,
                                    dilation: 2, groups: 2)
            }),
        ]
        for (name, inputs, op) in runs {
            try ReferenceCase(name: name, tensors: fixture)
                .expectParity(inputs: inputs, tolerance: Self.parityTolerance, op)
        }
    }

    @Test("conv1d of a batch equals each example run alone")
    func batchMatchesSingleExamples() throws {
        var generator = SplitMix64(seed: 13)
        let x = Tensor.randomNormal([3, 4, 17], using: &generator)
        let w = Tensor.randomNormal([6, 2, 5], using: &generator)
        let b = Tensor.randomNormal([6], using: &generator)
        let batched = try conv1d(x, weight: w, bias: b, stride: 2, padding: 2, groups: 2)
        for example in 0..<3 {
            let single = try conv1d(
                x.sliced(alongAxis: 0, example..<(example + 1)), weight: w, bias: b, stride: 2,
                padding: 2, groups: 2)
            let row = try batched.sliced(alongAxis: 0, example..<(example + 1))
            #expect(row.scalars == single.scalars)
        }
    }

    @Test("convTranspose1d is the adjoint of conv1d: ⟨conv1d(x), y⟩ = ⟨x, convTranspose1d(y)⟩")
    func transposeIsAdjoint() throws {
        var generator = SplitMix64(seed: 14)
        let x = Tensor.randomNormal([2, 6, 20], using: &generator)
        let w = Tensor.randomNormal([4, 3, 4], using: &generator)
        let forward = try conv1d(x, weight: w, stride: 3, padding: 2, dilation: 2, groups: 2)
        let y = Tensor.randomNormal(forward.shape, using: &generator)
        // (20 + 2·2 − 7) mod 3 = 2 frames are dropped by the stride; output padding restores them.
        let back = try convTranspose1d(
            y, weight: w, stride: 3, padding: 2, outputPadding: 2, dilation: 2, groups: 2)
        #expect(back.shape == x.shape)
        let left = try (forward * y).sum().item(), right = try (x * back).sum().item()
        #expect(abs(left - right) <= 1e-4 * abs(left) + 1e-3, "\(left) vs \(right)")
    }

    @Test("invalid shapes and arguments throw errors naming the shapes")
    func invalidArguments() throws {
        let x = Tensor.zeros([2, 4, 10]), w = Tensor.zeros([6, 2, 3])
        func message(_ body: () throws -> Tensor) -> String {
            do { _ = try body() } catch { return String(describing: error) }
            return "no error"
        }
        #expect(message { try conv1d(x, weight: w) }.contains("[6, 2, 3]"))
        #expect(message { try conv1d(x, weight: w, groups: 3) }.contains("divisible by groups 3"))
        #expect(message { try conv1d(x, weight: w, bias: Tensor.zeros([5]), groups: 2) }
            .contains("[5]"))
        #expect(message { try conv1d(x, weight: w, stride: 0, groups: 2) }.contains("stride"))
        #expect(message { try conv1d(x, weight: Tensor.zeros([6, 2, 12]), groups: 2) }
            .contains("shorter than the kernel span 12"))
        #expect(message { try conv1d(Tensor.zeros([4, 10]), weight: w) }.contains("[4, 10]"))
        #expect(message { try convTranspose1d(x, weight: w) }.contains("[6, 2, 3]"))
        let transposeWeight = Tensor.zeros([4, 2, 3])
        #expect(message { try convTranspose1d(x, weight: transposeWeight, outputPadding: 1) }
            .contains("output padding 1"))
    }
}
