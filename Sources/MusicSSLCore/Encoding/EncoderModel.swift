/// What ``EncoderModel`` computes for a batch of waveforms.
public struct EncoderModelOutput {
    /// The feature extractor's output, `[batch, frames, channels]` (HuBERT's feature penalty
    /// is the mean of its squares).
    public var extractedFeatures: Tensor
    /// The projected features before masking, `[batch, frames, dimensions]` (data2vec's
    /// teacher input).
    public var projectedFeatures: Tensor
    /// The encoder's states.
    public var encoder: EncoderOutput
    /// Frames of each example that are real, not padding.
    public var frameLengths: [Int]
    /// `batch · frames` flags, true for padding frames; `nil` when nothing is padded.
    public var paddingMask: [Bool]?
}

/// The whole HuBERT / data2vec-audio network from waveform to hidden states, with the
/// parameter names of HuggingFace's `HubertModel` / `Data2VecAudioModel` (`feature_extractor`,
/// `feature_projection`, `encoder`, `masked_spec_embed`).
///
/// ```swift
/// var generator = SplitMix64(seed: 0)
/// let model = try EncoderModel(configuration: .tiny, using: &generator)
/// model.setTraining(false)
/// let output = try model(Tensor.zeros([1, 16_000]), using: &generator)
/// output.encoder.hiddenStates.count   // layerCount + 1
/// ```
public final class EncoderModel: Layer {
    /// The architecture.
    public let configuration: EncoderConfiguration
    /// Waveform to frames.
    public let featureExtractor: ConvFeatureExtractor
    /// Frames to model width.
    public let featureProjection: FeatureProjection
    /// The Transformer encoder.
    public let encoder: TransformerEncoder
    /// The learned vector that replaces masked frames (fairseq `mask_emb`), `[dimensions]`.
    public let maskEmbedding: Parameter
    public var isTraining = true

    /// Builds the model for `configuration` with fresh weights.
    public init(configuration: EncoderConfiguration, using generator: inout some RandomNumberGenerator) throws {
        self.configuration = configuration
        featureExtractor = ConvFeatureExtractor(
            shapes: configuration.convolutionLayers, normalization: configuration.featureExtractorNormalization,
            epsilon: configuration.layerNormEpsilon, using: &generator)
        featureProjection = FeatureProjection(
            inputDimensions: featureExtractor.outputChannels, outputDimensions: configuration.modelDimensions,
            dropoutProbability: configuration.inputDropoutProbability, epsilon: configuration.layerNormEpsilon,
            using: &generator)
        encoder = try TransformerEncoder(configuration: configuration, using: &generator)
        // fairseq initialises mask_emb uniformly in [0, 1).
        maskEmbedding = Parameter(Tensor.randomUniform([configuration.modelDimensions], using: &generator))
    }

    public var namedLocalParameters: [(name: String, parameter: Parameter)] { [("masked_spec_embed", maskEmbedding)] }

    public var namedSublayers: [(name: String, layer: any Layer)] {
        [("feature_extractor", featureExtractor), ("feature_projection", featureProjection), ("encoder", encoder)]
    }

    /// Runs the network.
    ///
    /// - Parameters:
    ///   - waveforms: `[batch, samples]`, zero-padded after each example's end.
    ///   - sampleLengths: real samples per example; `nil` when none is padded. As in
    ///     HuggingFace, the extractor sees the padded waveform (group-norm statistics then
    ///     include the padding); padded frames are zeroed and masked in the encoder.
    ///   - mask: `batch · frames` flags of frames to replace by ``maskEmbedding``; `nil` for none.
    public func callAsFunction(
        _ waveforms: Tensor, sampleLengths: [Int]? = nil, mask: [Bool]? = nil,
        using generator: inout some RandomNumberGenerator
    ) throws -> EncoderModelOutput {
        let extracted = try featureExtractor(waveforms)  // [B, T, C]
        let (batch, frames) = (extracted.shape[0], extracted.shape[1])
        let projected = try featureProjection(extracted, using: &generator)  // [B, T, D]
        var frameLengths = [Int](repeating: frames, count: batch)
        var paddingMask: [Bool]?
        if let sampleLengths {
            guard sampleLengths.count == batch, sampleLengths.allSatisfy({ $0 >= 0 && $0 <= waveforms.shape[1] }) else {
                throw TensorError("EncoderModel", "sample lengths \(sampleLengths) for waveforms \(waveforms.shape)")
            }
            frameLengths = sampleLengths.map { min(configuration.frameCount(forSampleCount: $0), frames) }
            let flags = frameLengths.flatMap { length in (0..<frames).map { $0 >= length } }
            paddingMask = flags.contains(true) ? flags : nil
        }
        var hidden = projected
        if let mask {
            guard mask.count == batch * frames else {
                throw TensorError("EncoderModel", "mask has \(mask.count) flags for \(batch)×\(frames) frames")
            }
            hidden = try hidden.replacingRows(where: mask, with: maskEmbedding.tensor)
        }
        let encoded = try encoder(hidden, paddingMask: paddingMask, using: &generator)
        return EncoderModelOutput(
            extractedFeatures: extracted, projectedFeatures: projected, encoder: encoded,
            frameLengths: frameLengths, paddingMask: paddingMask)
    }
}
