import Foundation

extension EncoderConfiguration {
    /// The family transformers builds this architecture with: data2vec-audio for a layer-norm
    /// extractor with stacked positional convolutions, HuBERT for a weight-normalised one.
    ///
    /// - Throws: ``EncoderCheckpointError/notExportable(reason:)`` for combinations neither
    ///   `HubertModel` nor `Data2VecAudioModel` has.
    public func huggingFaceModelType() throws -> HuggingFaceModelType {
        switch positionalConvolution {
        case .weightNormalized:
            return .hubert
        case .stacked:
            guard featureExtractorNormalization == .layerNormEveryLayer, placement == .postNorm
            else {
                throw EncoderCheckpointError.notExportable(
                    reason:
                        "stacked positional convolutions exist only in Data2VecAudioModel, which has a "
                        + "layer-norm extractor and a post-norm encoder")
            }
            return .data2vecAudio
        }
    }

    /// A `config.json` object that transformers' `HubertConfig` or `Data2VecAudioConfig` accepts
    /// and that builds this architecture; `sample_rate` (MERT's key, ignored by transformers)
    /// records ``sampleRate``.
    ///
    /// - Throws: ``EncoderCheckpointError/notExportable(reason:)`` when no transformers model
    ///   has this architecture.
    public func huggingFaceConfig() throws -> [String: Any] {
        let modelType = try huggingFaceModelType()
        var config: [String: Any] = [
            "model_type": modelType.rawValue,
            "architectures": [modelType == .hubert ? "HubertModel" : "Data2VecAudioModel"],
            "hidden_size": modelDimensions,
            "num_hidden_layers": layerCount,
            "num_attention_heads": headCount,
            "intermediate_size": feedForwardDimensions,
            "hidden_act": "gelu",
            "hidden_dropout": Self.shortest(dropoutProbability),
            "attention_dropout": Self.shortest(attentionDropoutProbability),
            "activation_dropout": Self.shortest(activationDropoutProbability),
            "feat_proj_dropout": Self.shortest(inputDropoutProbability),
            "feat_proj_layer_norm": true,
            "layerdrop": Self.shortest(layerDropProbability),
            "layer_norm_eps": Self.shortest(layerNormEpsilon),
            "feat_extract_activation": "gelu",
            "conv_dim": convolutionLayers.map(\.channels),
            "conv_kernel": convolutionLayers.map(\.kernelSize),
            "conv_stride": convolutionLayers.map(\.stride),
            "conv_bias": false,
            "initializer_range": 0.02,
            "torch_dtype": "float32",
            "sample_rate": sampleRate,
        ]
        switch positionalConvolution {
        case .weightNormalized(let kernelSize, let groupCount):
            config["feat_extract_norm"] =
                featureExtractorNormalization == .groupNormFirstLayer ? "group" : "layer"
            config["do_stable_layer_norm"] = placement == .preNorm
            config["conv_pos_batch_norm"] = false
            config["num_conv_pos_embeddings"] = kernelSize
            config["num_conv_pos_embedding_groups"] = groupCount
        case .stacked(let layerCount, let kernelSize, let groupCount):
            config["feat_extract_norm"] = "layer"
            config["num_conv_pos_embeddings"] = layerCount
            config["conv_pos_kernel_size"] = kernelSize
            config["num_conv_pos_embedding_groups"] = groupCount
        }
        return config
    }

    /// ``huggingFaceConfig()`` as pretty-printed JSON with sorted keys.
    public func huggingFaceConfigData() throws -> Data {
        try JSONSerialization.data(
            withJSONObject: huggingFaceConfig(), options: [.prettyPrinted, .sortedKeys])
    }

    /// `value` as the double with the same shortest decimal spelling, so the JSON reads `0.1`
    /// rather than `0.10000000149011612`.
    private static func shortest(_ value: Float) -> Double {
        Double(value.description) ?? Double(value)
    }
}
