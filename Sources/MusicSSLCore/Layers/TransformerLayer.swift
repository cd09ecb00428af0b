/// Where a Transformer layer normalises.
public enum LayerNormPlacement: String, Codable, Sendable {
    /// After each residual add (BERT, HuBERT base, data2vec base; fairseq `layer_norm_first: false`).
    case postNorm
    /// Before each sub-block, on the residual branch (MERT-330M; fairseq `layer_norm_first: true`).
    case preNorm
}

/// Sizes and regularisation of one Transformer layer.
public struct TransformerLayerConfiguration: Codable, Equatable, Sendable {
    /// Width of the residual stream (fairseq `encoder_embed_dim`; 768 in base models).
    public var modelDimensions: Int
    /// Attention heads (fairseq `encoder_attention_heads`; 12 in base models).
    public var headCount: Int
    /// Hidden width of the feed-forward block (fairseq `encoder_ffn_embed_dim`; 3072 in base).
    public var feedForwardDimensions: Int
    /// Dropout on the residual branches (fairseq `dropout`; 0.1).
    public var dropoutProbability: Float
    /// Dropout on attention probabilities (fairseq `attention_dropout`; 0.1).
    public var attentionDropoutProbability: Float
    /// Dropout after the FFN activation (fairseq `activation_dropout`; 0.0).
    public var activationDropoutProbability: Float
    /// Where layer norms sit.
    public var placement: LayerNormPlacement
    /// Layer-norm epsilon (1e-5 in every reference model).
    public var layerNormEpsilon: Float

    /// Creates a configuration; the defaults are HuBERT base's layer.
    public init(
        modelDimensions: Int = 768, headCount: Int = 12, feedForwardDimensions: Int = 3072,
        dropoutProbability: Float = 0.1, attentionDropoutProbability: Float = 0.1,
        activationDropoutProbability: Float = 0, placement: LayerNormPlacement = .postNorm,
        layerNormEpsilon: Float = 1e-5
    ) {
        self.modelDimensions = modelDimensions
        self.headCount = headCount
        self.feedForwardDimensions = feedForwardDimensions
        self.dropoutProbability = dropoutProbability
        self.attentionDropoutProbability = attentionDropoutProbability
        self.activationDropoutProbability = activationDropoutProbability
        self.placement = placement
        self.layerNormEpsilon = layerNormEpsilon
    }
}

/// What one Transformer layer produces.
public struct TransformerLayerOutput {
    /// The layer's output, `[batch, frames, modelDimensions]`.
    public var hiddenStates: Tensor
    /// The feed-forward block's output before dropout and residual (fairseq's `layer_result`,
    /// which data2vec's teacher targets average).
    public var feedForwardOutput: Tensor
}

/// One Transformer encoder layer, post-norm (HF `HubertEncoderLayer`) or pre-norm
/// (HF `HubertEncoderLayerStableLayerNorm`), with the parameter names both use.
///
/// Post-norm: `x = LN(x + drop(attn(x)))`, then `x = LN(x + drop(ffn(x)))`.
/// Pre-norm: `x = x + drop(attn(LN(x)))`, then `x = x + drop(ffn(LN(x)))`.
public final class TransformerLayer: Layer {
    /// The configuration the layer was built from.
    public let configuration: TransformerLayerConfiguration
    /// Self-attention block.
    public let attention: MultiHeadSelfAttention
    /// Norm around attention (fairseq `self_attn_layer_norm`).
    public let layerNorm: LayerNorm
    /// Feed-forward block.
    public let feedForward: FeedForward
    /// Norm around the feed-forward block (fairseq `final_layer_norm`).
    public let finalLayerNorm: LayerNorm
    /// Dropout on both residual branches.
    public let dropout: Dropout
    public var isTraining = true

    /// Creates a layer with PyTorch's default initialisation.
    ///
    /// - Throws: ``TensorError`` when the heads do not divide the width.
    public init(
        configuration: TransformerLayerConfiguration, using generator: inout some RandomNumberGenerator
    ) throws {
        self.configuration = configuration
        attention = try MultiHeadSelfAttention(
            modelDimensions: configuration.modelDimensions, headCount: configuration.headCount,
            dropoutProbability: configuration.attentionDropoutProbability, using: &generator)
        layerNorm = LayerNorm(dimensions: configuration.modelDimensions, epsilon: configuration.layerNormEpsilon)
        feedForward = FeedForward(
            modelDimensions: configuration.modelDimensions,
            feedForwardDimensions: configuration.feedForwardDimensions,
            activationDropoutProbability: configuration.activationDropoutProbability, using: &generator)
        finalLayerNorm = LayerNorm(dimensions: configuration.modelDimensions, epsilon: configuration.layerNormEpsilon)
        dropout = Dropout(probability: configuration.dropoutProbability)
    }

    public var namedSublayers: [(name: String, layer: any Layer)] {
        [("attention", attention), ("layer_norm", layerNorm), ("feed_forward", feedForward),
         ("final_layer_norm", finalLayerNorm), ("dropout", dropout)]
    }

    /// - Parameters:
    ///   - x: `[batch, frames, modelDimensions]`
    ///   - keyPaddingMask: `batch · frames` flags, row-major, true where a frame is padding.
    public func callAsFunction(
        _ x: Tensor, keyPaddingMask: [Bool]? = nil, using generator: inout some RandomNumberGenerator
    ) throws -> TransformerLayerOutput {
        switch configuration.placement {
        case .postNorm:
            let attended = try attention(x, keyPaddingMask: keyPaddingMask, using: &generator)
            let h = try layerNorm(x + dropout(attended, using: &generator))
            let fed = try feedForward(h, using: &generator)
            let y = try finalLayerNorm(h + dropout(fed, using: &generator))
            return TransformerLayerOutput(hiddenStates: y, feedForwardOutput: fed)
        case .preNorm:
            let attended = try attention(layerNorm(x), keyPaddingMask: keyPaddingMask, using: &generator)
            let h = try x + dropout(attended, using: &generator)
            let fed = try feedForward(finalLayerNorm(h), using: &generator)
            let y = try h + dropout(fed, using: &generator)
            return TransformerLayerOutput(hiddenStates: y, feedForwardOutput: fed)
        }
    }
}
