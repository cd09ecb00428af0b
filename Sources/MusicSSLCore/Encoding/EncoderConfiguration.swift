/// One layer of the convolutional feature extractor: output channels, kernel and stride.
public struct ConvolutionLayerShape: Codable, Equatable, Sendable {
    /// Output channels (fairseq `conv_feature_layers` dim; 512 in every reference model).
    public var channels: Int
    /// Kernel width in input frames.
    public var kernelSize: Int
    /// Step between output frames.
    public var stride: Int

    /// Creates a layer shape.
    public init(channels: Int, kernelSize: Int, stride: Int) {
        self.channels = channels
        self.kernelSize = kernelSize
        self.stride = stride
    }

    /// wav2vec 2.0's extractor, `[(512,10,5)] + [(512,3,2)]*4 + [(512,2,2)]*2` with `channels`
    /// output channels per layer: total stride 320, receptive field 400 samples.
    public static func wav2vec2(channels: Int = 512) -> [ConvolutionLayerShape] {
        [ConvolutionLayerShape(channels: channels, kernelSize: 10, stride: 5)]
            + Array(repeating: ConvolutionLayerShape(channels: channels, kernelSize: 3, stride: 2), count: 4)
            + Array(repeating: ConvolutionLayerShape(channels: channels, kernelSize: 2, stride: 2), count: 2)
    }
}

/// How the convolutional feature extractor normalises.
public enum FeatureExtractorNormalization: String, Codable, Sendable {
    /// Group norm with one group per channel after the first convolution only (HuBERT, MERT;
    /// fairseq `extractor_mode: default`, HF `feat_extract_norm: "group"`).
    case groupNormFirstLayer
    /// Layer norm over channels after every convolution (data2vec, Music2vec; fairseq
    /// `extractor_mode: layer_norm`, HF `feat_extract_norm: "layer"`).
    case layerNormEveryLayer
}

/// The convolutional relative positional embedding added before the Transformer.
public enum PositionalConvolutionShape: Codable, Equatable, Sendable {
    /// One weight-normalised convolution followed by GELU (HuBERT, MERT; fairseq `conv_pos`
    /// 128, `conv_pos_groups` 16). An even kernel drops the last output frame.
    case weightNormalized(kernelSize: Int, groupCount: Int)
    /// `layerCount` convolutions, each followed by a parameter-free layer norm and GELU
    /// (data2vec, Music2vec; fairseq `pos_conv_depth` 5, kernel 19, groups 16).
    case stacked(layerCount: Int, kernelSize: Int, groupCount: Int)
}

/// The architecture of a HuBERT / data2vec-audio style encoder: CNN feature extractor,
/// projection, positional convolution and Transformer.
///
/// Field comments give fairseq's name and the base value. Presets: ``hubertBase``,
/// ``data2vecBase``, ``mertLarge`` and ``tiny``.
public struct EncoderConfiguration: Codable, Equatable, Sendable {
    /// Waveform rate the model expects (16 kHz; MERT 24 kHz).
    public var sampleRate: Int
    /// The feature extractor's layers (fairseq `conv_feature_layers`).
    public var convolutionLayers: [ConvolutionLayerShape]
    /// Norms in the feature extractor (fairseq `extractor_mode`).
    public var featureExtractorNormalization: FeatureExtractorNormalization
    /// Width of the Transformer (fairseq `encoder_embed_dim`; 768).
    public var modelDimensions: Int
    /// Transformer layers (fairseq `encoder_layers`; 12).
    public var layerCount: Int
    /// Attention heads (fairseq `encoder_attention_heads`; 12).
    public var headCount: Int
    /// Feed-forward width (fairseq `encoder_ffn_embed_dim`; 3072).
    public var feedForwardDimensions: Int
    /// Post-norm (base models) or pre-norm with a final layer norm (MERT-330M; fairseq
    /// `layer_norm_first`).
    public var placement: LayerNormPlacement
    /// The positional convolution.
    public var positionalConvolution: PositionalConvolutionShape
    /// Dropout on the residual branches and after the encoder's input norm (fairseq `dropout`; 0.1).
    public var dropoutProbability: Float
    /// Dropout on attention probabilities (fairseq `attention_dropout`; 0.1).
    public var attentionDropoutProbability: Float
    /// Dropout after the FFN activation (fairseq `activation_dropout`; 0).
    public var activationDropoutProbability: Float
    /// Dropout after the feature projection (fairseq `dropout_input`; HuBERT 0.1, data2vec 0).
    public var inputDropoutProbability: Float
    /// Chance of skipping each Transformer layer in training (fairseq `encoder_layerdrop`; 0.05).
    public var layerDropProbability: Float
    /// Epsilon of every layer norm (1e-5).
    public var layerNormEpsilon: Float

    /// Creates a configuration from every field.
    public init(
        sampleRate: Int = 16_000, convolutionLayers: [ConvolutionLayerShape] = ConvolutionLayerShape.wav2vec2(),
        featureExtractorNormalization: FeatureExtractorNormalization = .groupNormFirstLayer,
        modelDimensions: Int = 768, layerCount: Int = 12, headCount: Int = 12,
        feedForwardDimensions: Int = 3072, placement: LayerNormPlacement = .postNorm,
        positionalConvolution: PositionalConvolutionShape = .weightNormalized(kernelSize: 128, groupCount: 16),
        dropoutProbability: Float = 0.1, attentionDropoutProbability: Float = 0.1,
        activationDropoutProbability: Float = 0, inputDropoutProbability: Float = 0.1,
        layerDropProbability: Float = 0.05, layerNormEpsilon: Float = 1e-5
    ) {
        self.sampleRate = sampleRate
        self.convolutionLayers = convolutionLayers
        self.featureExtractorNormalization = featureExtractorNormalization
        self.modelDimensions = modelDimensions
        self.layerCount = layerCount
        self.headCount = headCount
        self.feedForwardDimensions = feedForwardDimensions
        self.placement = placement
        self.positionalConvolution = positionalConvolution
        self.dropoutProbability = dropoutProbability
        self.attentionDropoutProbability = attentionDropoutProbability
        self.activationDropoutProbability = activationDropoutProbability
        self.inputDropoutProbability = inputDropoutProbability
        self.layerDropProbability = layerDropProbability
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// HuBERT base (and MusicHuBERT, MERT-v1-95M at 24 kHz): 94,371,712 parameters.
    public static let hubertBase = EncoderConfiguration()

    /// data2vec-audio base (and Music2vec): layer-norm extractor, five stacked positional
    /// convolutions, no input dropout; 93,164,288 parameters.
    public static let data2vecBase = EncoderConfiguration(
        featureExtractorNormalization: .layerNormEveryLayer,
        positionalConvolution: .stacked(layerCount: 5, kernelSize: 19, groupCount: 16),
        inputDropoutProbability: 0)

    /// MERT-v1-330M's shape: 24 pre-norm layers of width 1024 (16 heads, FFN 4096) at 24 kHz,
    /// no dropout or layer drop.
    public static let mertLarge = EncoderConfiguration(
        sampleRate: 24_000, modelDimensions: 1024, layerCount: 24, headCount: 16,
        feedForwardDimensions: 4096, placement: .preNorm, dropoutProbability: 0,
        attentionDropoutProbability: 0, inputDropoutProbability: 0, layerDropProbability: 0)

    /// A small HuBERT-style encoder for CPU pre-training in minutes: the same seven-layer
    /// extractor with 256 channels, 4 post-norm layers of width 256 (4 heads, FFN 1024) and a
    /// weight-normalised positional convolution of kernel 128 in 16 groups; about 4.8 M
    /// parameters (4,802,432). Frames and strides match the base models, so labels align the same way.
    public static let tiny = EncoderConfiguration(
        convolutionLayers: ConvolutionLayerShape.wav2vec2(channels: 256),
        modelDimensions: 256, layerCount: 4, headCount: 4, feedForwardDimensions: 1024)

    /// The extractor's output frames for `sampleCount` input samples (⌊(N − 400)/320⌋ + 1 for
    /// the standard extractor; 0 when the input is shorter than the receptive field).
    public func frameCount(forSampleCount sampleCount: Int) -> Int {
        var length = sampleCount
        for layer in convolutionLayers {
            guard length >= layer.kernelSize else { return 0 }
            length = (length - layer.kernelSize) / layer.stride + 1
        }
        return length
    }

    /// The configuration of each Transformer layer.
    public var transformerLayer: TransformerLayerConfiguration {
        TransformerLayerConfiguration(
            modelDimensions: modelDimensions, headCount: headCount,
            feedForwardDimensions: feedForwardDimensions, dropoutProbability: dropoutProbability,
            attentionDropoutProbability: attentionDropoutProbability,
            activationDropoutProbability: activationDropoutProbability, placement: placement,
            layerNormEpsilon: layerNormEpsilon)
    }
}
