import Foundation

/// The model families a HuggingFace `config.json` can describe.
public enum HuggingFaceModelType: String, Sendable {
    /// transformers' `HubertConfig` (`HubertModel`; MusicHuBERT, MERT-v0).
    case hubert
    /// transformers' `Data2VecAudioConfig` (`Data2VecAudioModel`; Music2vec).
    case data2vecAudio = "data2vec-audio"
    /// MERT-v1's remote-code `MERTConfig`, which builds HuBERT's graph.
    case mert = "mert_model"
}

/// An `EncoderConfiguration` read from a HuggingFace `config.json`, with the settings that were
/// read but do not change the encoder's hidden states.
public struct HuggingFaceConfigurationImport: Sendable {
    /// The mapped architecture.
    public var configuration: EncoderConfiguration
    /// The family the file declared.
    public var modelType: HuggingFaceModelType
    /// Settings present in the file that the encoder ignores (e.g. MERT's CQT loss head), as
    /// `key: reason` sentences.
    public var ignoredSettings: [String]
}

extension EncoderConfiguration {
    /// Maps a HuggingFace `config.json` of `model_type` `hubert`, `data2vec-audio` or
    /// `mert_model` onto an encoder configuration.
    ///
    /// - Parameters:
    ///   - huggingFaceConfig: The decoded JSON object.
    ///   - source: Named in errors (usually the file's path).
    /// - Throws: ``EncoderCheckpointError`` for an unknown `model_type`, a mistyped value, or a
    ///   setting MusicSSL's graph does not have (`conv_bias: true`, a non-GELU activation, …).
    public init(huggingFaceConfig: [String: Any], source: String = "config.json") throws {
        self = try Self.importing(huggingFaceConfig: huggingFaceConfig, source: source)
            .configuration
    }

    /// Maps the JSON bytes of a HuggingFace `config.json`; see ``init(huggingFaceConfig:source:)``.
    public init(huggingFaceConfig data: Data, source: String = "config.json") throws {
        self = try Self.importing(
            huggingFaceConfig: Self.jsonObject(data, source: source), source: source
        )
        .configuration
    }

    /// Decodes `data` as a JSON object.
    static func jsonObject(_ data: Data, source: String) throws -> [String: Any] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw EncoderCheckpointError.unsupportedFormat(
                path: source, reason: "not valid JSON: \(error)")
        }
        guard let dictionary = object as? [String: Any] else {
            throw EncoderCheckpointError.unsupportedFormat(
                path: source, reason: "not a JSON object")
        }
        return dictionary
    }

    /// Maps a HuggingFace config and lists what it ignored; see ``init(huggingFaceConfig:source:)-([String:Any],_)``.
    public static func importing(
        huggingFaceConfig: [String: Any], source: String = "config.json"
    ) throws -> HuggingFaceConfigurationImport {
        let config = ConfigurationDictionary(values: huggingFaceConfig, source: source)
        let typeName = try config.string("model_type")
        guard let modelType = HuggingFaceModelType(rawValue: typeName) else {
            throw EncoderCheckpointError.unsupportedModelType(source: source, modelType: typeName)
        }
        // Defaults are transformers' own (HubertConfig / Data2VecAudioConfig), so a minimal
        // config.json means what it means to transformers.
        try config.require(
            "conv_bias", equals: false, because: "MusicSSL's convolutions have no bias")
        try config.require(
            "hidden_act", equals: "gelu", because: "MusicSSL's feed-forward uses exact GELU")
        try config.require(
            "feat_extract_activation", equals: "gelu",
            because: "MusicSSL's extractor uses exact GELU")
        try config.require(
            "feat_proj_layer_norm", equals: true,
            because: "MusicSSL's feature projection starts with a layer norm")
        try config.require(
            "conv_pos_batch_norm", equals: false,
            because: "MusicSSL's positional convolution is weight-normalised")
        let channels = try config.integers("conv_dim", default: Array(repeating: 512, count: 7))
        let kernels = try config.integers("conv_kernel", default: [10, 3, 3, 3, 3, 2, 2])
        let strides = try config.integers("conv_stride", default: [5, 2, 2, 2, 2, 2, 2])
        guard channels.count == kernels.count, kernels.count == strides.count, !channels.isEmpty
        else {
            throw config.invalid(
                "conv_dim",
                "conv_dim, conv_kernel and conv_stride have \(channels.count), \(kernels.count) "
                    + "and \(strides.count) entries; they must be equally long and non-empty")
        }
        let layers = zip(channels, zip(kernels, strides)).map {
            ConvolutionLayerShape(channels: $0, kernelSize: $1.0, stride: $1.1)
        }
        var configuration = EncoderConfiguration(
            sampleRate: try config.integer("sample_rate", default: 16_000),
            convolutionLayers: layers,
            modelDimensions: try config.integer("hidden_size", default: 768),
            layerCount: try config.integer("num_hidden_layers", default: 12),
            headCount: try config.integer("num_attention_heads", default: 12),
            feedForwardDimensions: try config.integer("intermediate_size", default: 3072),
            dropoutProbability: try config.float("hidden_dropout", default: 0.1),
            attentionDropoutProbability: try config.float("attention_dropout", default: 0.1),
            activationDropoutProbability: try config.float("activation_dropout", default: 0.1),
            inputDropoutProbability: try config.float("feat_proj_dropout", default: 0),
            layerDropProbability: try config.float("layerdrop", default: 0.1),
            layerNormEpsilon: try config.float("layer_norm_eps", default: 1e-5))
        let groups = try config.integer("num_conv_pos_embedding_groups", default: 16)
        var ignored: [String] = []
        switch modelType {
        case .hubert, .mert:
            let norm = try config.string("feat_extract_norm", default: "group")
            switch norm {
            case "group": configuration.featureExtractorNormalization = .groupNormFirstLayer
            case "layer": configuration.featureExtractorNormalization = .layerNormEveryLayer
            default:
                throw config.invalid(
                    "feat_extract_norm", "'\(norm)' is neither 'group' nor 'layer'")
            }
            configuration.placement =
                try config.boolean("do_stable_layer_norm", default: false) ? .preNorm : .postNorm
            configuration.positionalConvolution = .weightNormalized(
                kernelSize: try config.integer("num_conv_pos_embeddings", default: 128),
                groupCount: groups)
            if modelType == .mert { ignored = try mertIgnoredSettings(config) }
        case .data2vecAudio:
            configuration.featureExtractorNormalization = .layerNormEveryLayer
            configuration.placement = .postNorm
            configuration.positionalConvolution = .stacked(
                layerCount: try config.integer("num_conv_pos_embeddings", default: 5),
                kernelSize: try config.integer("conv_pos_kernel_size", default: 19),
                groupCount: groups)
        }
        try configuration.validate(source: source)
        return HuggingFaceConfigurationImport(
            configuration: configuration, modelType: modelType, ignoredSettings: ignored)
    }

    /// MERT's extra settings: accepted when they leave the HuBERT graph unchanged, refused when
    /// they would change the hidden states.
    private static func mertIgnoredSettings(_ config: ConfigurationDictionary) throws -> [String] {
        // MERT-v1 adds CQT features to the extractor output only when feature_extractor_cqt is
        // true; the released models set it false. deepnorm and attention_relax rescale the
        // residual and attention logits; the released models leave them off.
        try config.require(
            "feature_extractor_cqt", equals: false,
            because: "MusicSSL has no CQT input branch in the encoder")
        try config.require(
            "deepnorm", equals: false, because: "MusicSSL has no DeepNorm residual scaling")
        if try config.float("attention_relax", default: -1) > 0 {
            throw config.invalid(
                "attention_relax", "positive values are not supported (attention relaxation)")
        }
        var ignored: [String] = []
        if config.contains("feature_extractor_cqt_bins") {
            ignored.append("feature_extractor_cqt_bins: only used by the CQT branch, which is off")
        }
        for key in [
            "vocab_size", "final_dropout", "mask_time_prob", "mask_feature_prob",
            "ctc_loss_reduction",
        ]
        where config.contains(key) {
            ignored.append("\(key): a fine-tuning or pre-training setting, not part of the encoder")
        }
        return ignored
    }

    /// Throws unless every size is positive and consistent (heads divide the width, groups
    /// divide it too).
    func validate(source: String) throws {
        func invalid(_ key: String, _ reason: String) -> EncoderCheckpointError {
            .invalidConfiguration(source: source, key: key, reason: reason)
        }
        guard sampleRate > 0 else {
            throw invalid("sample_rate", "must be positive, got \(sampleRate)")
        }
        guard
            convolutionLayers.allSatisfy({ $0.channels > 0 && $0.kernelSize > 0 && $0.stride > 0 })
        else {
            throw invalid("conv_dim", "every channel count, kernel and stride must be positive")
        }
        guard modelDimensions > 0, layerCount >= 0, headCount > 0, modelDimensions % headCount == 0
        else {
            throw invalid(
                "num_attention_heads",
                "\(headCount) heads must divide the width \(modelDimensions) (and both be positive)"
            )
        }
        guard feedForwardDimensions > 0 else {
            throw invalid("intermediate_size", "must be positive")
        }
        let (kernel, groups, depth): (Int, Int, Int) =
            switch positionalConvolution {
            case .weightNormalized(let kernelSize, let groupCount): (kernelSize, groupCount, 1)
            case .stacked(let layerCount, let kernelSize, let groupCount):
                (kernelSize, groupCount, layerCount)
            }
        guard kernel > 0, depth > 0, groups > 0, modelDimensions % groups == 0 else {
            throw invalid(
                "num_conv_pos_embedding_groups",
                "\(groups) groups must divide the width \(modelDimensions); kernel \(kernel) and depth \(depth) "
                    + "must be positive")
        }
    }
}
