import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Normalisation")
struct NormalizationTests {
    /// Values and gradients agree with PyTorch (float64 reference) to this; measured ≤ 2e-6.
    static let parityTolerance: Float = 1e-4

    @Test("layerNorm gradients match finite differences, with and without affine parameters")
    func layerNormGradients() throws {
        var generator = SplitMix64(seed: 21)
        let check = GradientCheck()
        // 20 and 35 exercise both the 16-lane loop and its scalar tail.
        for n in [5, 20, 35] {
            let x = Tensor.randomNormal([2, 3, n], using: &generator)
            let w = Tensor.randomUniform([n], lowerBound: 0.5, upperBound: 1.5, using: &generator)
            let b = Tensor.randomNormal([n], using: &generator)
            let affine = try check.check([x, w, b]) {
                try layerNorm($0[0], weight: $0[1], bias: $0[2])
            }
            #expect(affine.maximumError < 1e-2, "n = \(n): \(affine)")
            let plain = try check.check([x]) { try layerNorm($0[0], weight: nil, bias: nil) }
            #expect(plain.maximumError < 1e-2, "n = \(n): \(plain)")
            let biasOnly = try check.check([x, b]) {
                try layerNorm($0[0], weight: nil, bias: $0[1])
            }
            #expect(biasOnly.maximumError < 1e-2, "n = \(n): \(biasOnly)")
        }
    }

    @Test("groupNorm and instanceNorm gradients match finite differences")
    func groupNormGradients() throws {
        var generator = SplitMix64(seed: 22)
        let check = GradientCheck()
        let x = Tensor.randomNormal([2, 4, 18], using: &generator)
        let w = Tensor.randomUniform([4], lowerBound: 0.5, upperBound: 1.5, using: &generator)
        let b = Tensor.randomNormal([4], using: &generator)
        for groups in [1, 2, 4] {
            let report = try check.check([x, w, b]) {
                try groupNorm($0[0], groupCount: groups, weight: $0[1], bias: $0[2])
            }
            #expect(report.maximumError < 1e-2, "groups = \(groups): \(report)")
        }
        // One (example, group) unit takes the schedule that is parallel over rows.
        let single = Tensor.randomNormal([1, 4, 6], using: &generator)
        let oneUnit = try check.check([single, w, b]) {
            try groupNorm($0[0], groupCount: 1, weight: $0[1], bias: $0[2])
        }
        #expect(oneUnit.maximumError < 1e-2, "\(oneUnit)")
        let rank4 = Tensor.randomNormal([2, 4, 3, 5], using: &generator)
        let weightOnly = try check.check([rank4, w]) {
            try groupNorm($0[0], groupCount: 2, weight: $0[1], bias: nil)
        }
        #expect(weightOnly.maximumError < 1e-2, "\(weightOnly)")
        let instance = try check.check([x]) { try instanceNorm($0[0]) }
        #expect(instance.maximumError < 1e-2, "\(instance)")
        let instanceAffine = try check.check([x, w, b]) {
            try instanceNorm($0[0], weight: $0[1], bias: $0[2])
        }
        #expect(instanceAffine.maximumError < 1e-2, "\(instanceAffine)")
    }

    @Test("layerNorm, groupNorm and instanceNorm match PyTorch values and gradients")
    func parity() throws {
        let fixture = try Fixture.load("conv_norm", in: Bundle.module)
        let runs: [(String, [String], ([Tensor]) throws -> Tensor)] = [
            ("layer_norm", ["input", "weight", "bias"], {
                try layerNorm($0[0], weight: $0[1], bias: $0[2])
            }),
            ("layer_norm_plain", ["input"], { try layerNorm($0[0], weight: nil, bias: nil) }),
            ("group_norm_per_channel", ["input", "weight", "bias"], {
                try groupNorm($0[0], groupCount: 6, weight: $0[1], bias: $0[2])
            }),
            ("group_norm_two", ["input", "weight", "bias"], {
                try groupNorm($0[0], groupCount: 2, weight: $0[1], bias: $0[2])
            }),
            ("instance_norm", ["input"], { try instanceNorm($0[0]) }),
            ("instance_norm_affine", ["input", "weight", "bias"], {
                try instanceNorm($0[0], weight: $0[1], bias: $0[2])
            }),
        ]
        for (name, inputs, op) in runs {
            try ReferenceCase(name: name, tensors: fixture)
                .expectParity(inputs: inputs, tolerance: Self.parityTolerance, op)
        }
    }

    @Test("one-group groupNorm is layerNorm per example; instanceNorm is groupNorm per channel")
    func equivalences() throws {
        var generator = SplitMix64(seed: 23)
        let x = Tensor.randomNormal([3, 4, 10], using: &generator)
        let grouped = try groupNorm(x, groupCount: 1, weight: nil, bias: nil)
        let layered = try layerNorm(x.reshaped(to: [3, 40]), weight: nil, bias: nil)
        #expect(try grouped.reshaped(to: [3, 40]).isClose(to: layered))
        let w = Tensor.randomNormal([4], using: &generator)
        let b = Tensor.randomNormal([4], using: &generator)
        #expect(try instanceNorm(x, weight: w, bias: b)
            .isClose(to: groupNorm(x, groupCount: 4, weight: w, bias: b)))
    }

    @Test("normalised rows have zero mean and unit variance, even far from the origin")
    func statistics() throws {
        var generator = SplitMix64(seed: 24)
        // An offset 1000 times the spread must not cost precision: the mean is removed before
        // squaring, not recovered from Σx² − n·mean².
        let x = Tensor.randomNormal([4, 3000], using: &generator) + 1000
        for y in [try layerNorm(x, weight: nil, bias: nil),
                  try instanceNorm(x.reshaped(to: [2, 2, 3000])).reshaped(to: [4, 3000])] {
            let mean = try y.mean(alongAxes: [1]).scalars
            let variance = try (y * y).mean(alongAxes: [1]).scalars
            #expect(mean.allSatisfy { abs($0) < 1e-4 }, "\(mean)")
            #expect(variance.allSatisfy { abs($0 - 1) < 1e-4 }, "\(variance)")
        }
    }

    @Test("invalid shapes and arguments throw errors naming the shapes")
    func invalidArguments() throws {
        let x = Tensor.zeros([2, 6, 5])
        func message(_ body: () throws -> Tensor) -> String {
            do { _ = try body() } catch { return String(describing: error) }
            return "no error"
        }
        #expect(message { try layerNorm(x, weight: Tensor.ones([6]), bias: nil) }
            .contains("weight [6] must be [5]"))
        #expect(message { try layerNorm(Tensor.zeros([3, 0]), weight: nil, bias: nil) }
            .contains("[3, 0]"))
        #expect(message { try groupNorm(x, groupCount: 4, weight: nil, bias: nil) }
            .contains("group count 4"))
        #expect(message { try groupNorm(Tensor.zeros([6]), groupCount: 1, weight: nil, bias: nil) }
            .contains("[6]"))
        #expect(message { try groupNorm(x, groupCount: 2, weight: nil, bias: Tensor.zeros([5])) }
            .contains("bias [5] must be [6]"))
        #expect(message { try instanceNorm(Tensor.zeros([6, 5])) }.contains("[6, 5]"))
    }
}
