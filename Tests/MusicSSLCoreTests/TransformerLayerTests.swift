import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Transformer layer")
struct TransformerLayerTests {
    /// Float32 differences between our kernels and PyTorch's over a 16-wide layer; measured
    /// maxima are about 1e-6 for outputs and 1e-5 for gradients.
    static let tolerance: Float = 1e-4

    func makeLayer(_ placement: LayerNormPlacement, width: Int = 16, seed: UInt64 = 1) throws -> TransformerLayer {
        var generator = SplitMix64(seed: seed)
        let configuration = TransformerLayerConfiguration(
            modelDimensions: width, headCount: 4, feedForwardDimensions: 4 * width, placement: placement)
        return try TransformerLayer(configuration: configuration, using: &generator)
    }

    @Test("parameter names and count match HuggingFace's HubertEncoderLayer")
    func naming() throws {
        let layer = try makeLayer(.postNorm, width: 768)
        #expect(layer.parameterCount == 7_087_872)
        let names = layer.namedParameters().map(\.name)
        #expect(names.contains("attention.q_proj.weight"))
        #expect(names.contains("feed_forward.intermediate_dense.bias"))
        #expect(names.contains("final_layer_norm.weight"))
        #expect(names.count == 16)
    }

    @Test("setTraining reaches every sublayer, dropouts included")
    func trainingMode() throws {
        let layer = try makeLayer(.postNorm)
        layer.setTraining(false)
        #expect(!layer.dropout.isTraining && !layer.feedForward.activationDropout.isTraining)
        #expect(!layer.attention.queryProjection.isTraining)
    }

    @Test("post-norm and pre-norm layers match PyTorch in values and gradients",
          arguments: [("post", LayerNormPlacement.postNorm), ("pre", .preNorm)])
    func parity(prefix: String, placement: LayerNormPlacement) throws {
        let fixture = try Fixture.load("transformer_layer", in: Bundle.module)
        let layer = try makeLayer(placement)
        layer.setTraining(false)
        for (name, parameter) in layer.namedParameters() {
            let value = try #require(fixture["\(prefix).param.\(name)"], "missing \(name)")
            parameter.value = value
        }
        let mask = try #require(fixture["key_padding_mask"]).scalars.map { $0 != 0 }
        let input = try #require(fixture["\(prefix).input"]).requiringGradient()
        var generator = SplitMix64(seed: 0)
        let output = try layer(input, keyPaddingMask: mask, using: &generator)
        let upstream: Tensor = try #require(fixture["\(prefix).upstream"])
        try output.hiddenStates.backward(upstream)
        expectClose(output.hiddenStates, try #require(fixture["\(prefix).output"]), tolerance: Self.tolerance, "output")
        expectClose(try #require(input.gradient), try #require(fixture["\(prefix).input_grad"]), tolerance: Self.tolerance, "input gradient")
        for (name, parameter) in layer.namedParameters() {
            expectClose(try #require(parameter.gradient), try #require(fixture["\(prefix).grad.\(name)"]), tolerance: Self.tolerance, name)
        }
    }

    @Test("a padded batch gives each example the output it has alone")
    func paddingInvariance() throws {
        let layer = try makeLayer(.postNorm)
        layer.setTraining(false)
        var generator = SplitMix64(seed: 3)
        let long = Tensor.randomNormal([1, 6, 16], using: &generator)
        let short = Tensor.randomNormal([1, 4, 16], using: &generator)
        let padded = try Tensor.concatenate([short, Tensor.zeros([1, 2, 16])], alongAxis: 1)
        let batch = try Tensor.concatenate([long, padded], alongAxis: 0)
        let mask = [Bool](repeating: false, count: 6) + [false, false, false, false, true, true]
        let together = try layer(batch, keyPaddingMask: mask, using: &generator).hiddenStates
        let alone = try layer(short, using: &generator).hiddenStates
        let first = try together.sliced(alongAxis: 0, 1..<2).sliced(alongAxis: 1, 0..<4)
        expectClose(first, alone, tolerance: 1e-5, "short example")
        expectClose(try together.sliced(alongAxis: 0, 0..<1), try layer(long, using: &generator).hiddenStates, tolerance: 1e-5, "long example")
    }

    @Test("layer gradients match finite differences")
    func gradientCheck() throws {
        let layer = try makeLayer(.preNorm, width: 8)
        layer.setTraining(false)
        var generator = SplitMix64(seed: 5)
        let x = Tensor.randomNormal([2, 3, 8], using: &generator)
        let report = try GradientCheck().check([x]) { inputs in
            var unused = SplitMix64(seed: 0)
            return try layer(inputs[0], using: &unused).hiddenStates
        }
        #expect(report.maximumError < 1e-2, "\(report)")
    }
}
