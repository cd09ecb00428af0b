import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Encoder parity with HuggingFace")
struct EncoderModelParityTests {
    /// Hidden states: the bar; measured maxima are printed by the failure message.
    static let hiddenStateTolerance: Float = 1e-4
    /// Gradients: max |Δ| relative to the largest reference magnitude of each parameter.
    static let gradientTolerance: Float = 1e-3
    /// The key projection's bias has an exact gradient of zero (a shift of every key moves a
    /// query's scores by one constant, which softmax ignores); torch and MusicSSL both return
    /// rounding noise of about 1e-9 there, so both are checked to be below this bound instead.
    static let zeroGradientBound: Float = 1e-6

    /// The reference for hidden state `index`: MusicSSL indexes as transformers 4 and MARBLE do,
    /// with the pre-norm encoder's final layer norm applied to the last entry; transformers 5
    /// returns that normalised state only as `last_hidden_state`.
    static func referenceKey(_ family: String, _ input: String, index: Int, layerCount: Int) -> String {
        index == layerCount ? "\(family).\(input).last" : "\(family).\(input).hidden.\(index)"
    }

    static func configuration(_ family: String) -> EncoderConfiguration {
        var configuration = EncoderConfiguration(
            convolutionLayers: ConvolutionLayerShape.wav2vec2(channels: 16), modelDimensions: 32,
            layerCount: 2, headCount: 4, feedForwardDimensions: 64,
            positionalConvolution: .weightNormalized(kernelSize: 16, groupCount: 4))
        switch family {
        case "hubert_prenorm":
            configuration.placement = .preNorm
        case "data2vec":
            configuration.featureExtractorNormalization = .layerNormEveryLayer
            configuration.positionalConvolution = .stacked(layerCount: 3, kernelSize: 5, groupCount: 4)
        default:
            break
        }
        return configuration
    }

    static func loadModel(_ family: String, from fixture: [String: Tensor]) throws -> EncoderModel {
        var generator = SplitMix64(seed: 0)
        let model = try EncoderModel(configuration: configuration(family), using: &generator)
        model.setTraining(false)
        for (name, parameter) in model.namedParameters() {
            parameter.value = try #require(fixture["\(family).param.\(name)"], "no reference for \(name)")
        }
        let expected = fixture.keys.filter { $0.hasPrefix("\(family).param.") }.count
        #expect(model.namedParameters().count == expected, "parameter count differs from HuggingFace's state dict")
        return model
    }

    @Test("every hidden state of a single clip matches transformers",
          arguments: ["hubert", "hubert_prenorm", "data2vec"])
    func singleClip(family: String) throws {
        let fixture = try Fixture.load("encoder_models", in: Bundle.module)
        let model = try Self.loadModel(family, from: fixture)
        var generator = SplitMix64(seed: 0)
        let output = try model(try #require(fixture["clip"]), using: &generator)
        #expect(output.encoder.hiddenStates.count == 3)
        for (index, state) in output.encoder.hiddenStates.enumerated() {
            let key = Self.referenceKey(family, "clip", index: index, layerCount: 2)
            expectClose(state, try #require(fixture[key]),
                        tolerance: Self.hiddenStateTolerance, "\(family) hidden state \(index)")
        }
    }

    @Test("every hidden state of a zero-padded batch matches transformers with an attention mask",
          arguments: ["hubert", "hubert_prenorm", "data2vec"])
    func paddedBatch(family: String) throws {
        let fixture = try Fixture.load("encoder_models", in: Bundle.module)
        let model = try Self.loadModel(family, from: fixture)
        let lengths = try #require(fixture["batch_lengths"]).scalars.map { Int($0) }
        var generator = SplitMix64(seed: 0)
        let output = try model(try #require(fixture["batch"]), sampleLengths: lengths, using: &generator)
        #expect(output.frameLengths == lengths.map { model.configuration.frameCount(forSampleCount: $0) })
        for (index, state) in output.encoder.hiddenStates.enumerated() {
            let key = Self.referenceKey(family, "batch", index: index, layerCount: 2)
            expectClose(state, try #require(fixture[key]),
                        tolerance: Self.hiddenStateTolerance, "\(family) padded hidden state \(index)")
        }
    }

    @Test("every parameter's gradient matches torch autograd", arguments: ["hubert", "hubert_prenorm", "data2vec"])
    func gradients(family: String) throws {
        let fixture = try Fixture.load("encoder_models", in: Bundle.module)
        let model = try Self.loadModel(family, from: fixture)
        var generator = SplitMix64(seed: 0)
        let output = try model(try #require(fixture["clip"]), using: &generator)
        let upstream: Tensor = try #require(fixture["\(family).clip.upstream"])
        try output.encoder.lastHiddenState.backward(upstream)
        for (name, parameter) in model.namedParameters() where name != "masked_spec_embed" {
            let reference: Tensor = try #require(fixture["\(family).grad.\(name)"], "no gradient for \(name)")
            let gradient = try #require(parameter.gradient, "\(name) got no gradient")
            let scale = reference.scalars.map(abs).max() ?? 0
            if name.hasSuffix("k_proj.bias") {
                let largest = gradient.scalars.map(abs).max() ?? 0
                #expect(scale <= Self.zeroGradientBound && largest <= Self.zeroGradientBound, "\(name) should be 0")
                continue
            }
            let relative = gradient.maximumDifference(to: reference) / scale
            #expect(relative <= Self.gradientTolerance, "\(family) \(name): relative gradient error \(relative)")
        }
    }
}
