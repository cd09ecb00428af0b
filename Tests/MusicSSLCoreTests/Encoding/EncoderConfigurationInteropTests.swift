import Foundation
import MusicSSLTestSupport
import Testing

@testable import MusicSSLCore

@Suite("Encoder configuration interop")
struct EncoderConfigurationInteropTests {
    /// transformers' HubertConfig() for hubert-base-ls960, as its config.json spells it.
    static let hubertBaseConfig: [String: Any] = [
        "model_type": "hubert", "architectures": ["HubertModel"], "hidden_size": 768,
        "num_hidden_layers": 12,
        "num_attention_heads": 12, "intermediate_size": 3072,
        "conv_dim": [512, 512, 512, 512, 512, 512, 512],
        "conv_kernel": [10, 3, 3, 3, 3, 2, 2], "conv_stride": [5, 2, 2, 2, 2, 2, 2],
        "feat_extract_norm": "group",
        "do_stable_layer_norm": false, "num_conv_pos_embeddings": 128,
        "num_conv_pos_embedding_groups": 16,
        "hidden_dropout": 0.1, "attention_dropout": 0.1, "activation_dropout": 0.0,
        "feat_proj_dropout": 0.1,
        "layerdrop": 0.05, "layer_norm_eps": 1e-5, "conv_bias": false, "hidden_act": "gelu",
    ]

    @Test("HuBERT base's config.json maps onto the hubertBase preset")
    func hubertBase() throws {
        #expect(try EncoderConfiguration(huggingFaceConfig: Self.hubertBaseConfig) == .hubertBase)
    }

    @Test("music2vec's data2vec-audio config maps onto the data2vecBase preset")
    func data2vec() throws {
        let config: [String: Any] = [
            "model_type": "data2vec-audio", "num_conv_pos_embeddings": 5,
            "conv_pos_kernel_size": 19,
            "activation_dropout": 0.0, "layerdrop": 0.05, "feat_proj_dropout": 0.0,
        ]
        #expect(try EncoderConfiguration(huggingFaceConfig: config) == .data2vecBase)
    }

    @Test(
        "MERT-v1-330M's mert_model config maps onto a 24 kHz pre-norm HuBERT and lists what it ignores"
    )
    func mert() throws {
        let json = #"""
            {"model_type": "mert_model", "architectures": ["MERTModel"], "sample_rate": 24000,
             "hidden_size": 1024, "num_hidden_layers": 24, "num_attention_heads": 16,
             "intermediate_size": 4096, "do_stable_layer_norm": true, "feat_extract_norm": "layer",
             "feature_extractor_cqt": false, "feature_extractor_cqt_bins": 336, "attention_relax": -1.0,
             "deepnorm": false, "hidden_dropout": 0.0, "attention_dropout": 0.0, "activation_dropout": 0.0,
             "feat_proj_dropout": 0.0, "layerdrop": 0.0, "vocab_size": 32, "conv_bias": false}
            """#
        let imported = try EncoderConfiguration.importing(
            huggingFaceConfig: EncoderConfiguration.jsonObject(Data(json.utf8), source: "mert"))
        var expected = EncoderConfiguration.mertLarge
        expected.featureExtractorNormalization = .layerNormEveryLayer
        #expect(imported.configuration == expected)
        #expect(imported.modelType == .mert)
        #expect(imported.ignoredSettings.contains { $0.hasPrefix("feature_extractor_cqt_bins") })
        #expect(imported.ignoredSettings.contains { $0.hasPrefix("vocab_size") })
    }

    @Test(
        "settings MusicSSL's graph lacks are refused by key",
        arguments: [
            ("conv_bias", true as Any), ("hidden_act", "relu" as Any),
            ("feat_extract_norm", "batch" as Any),
            ("conv_dim", [512, 512] as Any), ("num_attention_heads", 7 as Any),
            ("hidden_size", "768" as Any),
        ])
    func refused(key: String, value: Any) throws {
        var config = Self.hubertBaseConfig
        config[key] = value
        let error = #expect(throws: EncoderCheckpointError.self) {
            try EncoderConfiguration(huggingFaceConfig: config, source: "x/config.json")
        }
        #expect(error?.description.contains("x/config.json") == true)
        #expect(
            error?.description.contains(key) == true
                || error?.description.contains("conv_dim") == true)
    }

    @Test("MERT's CQT branch and unknown model types are refused")
    func refusedFamilies() throws {
        #expect(
            throws: EncoderCheckpointError.unsupportedModelType(source: "c", modelType: "wav2vec2")
        ) {
            try EncoderConfiguration(huggingFaceConfig: ["model_type": "wav2vec2"], source: "c")
        }
        #expect(throws: EncoderCheckpointError.self) {
            try EncoderConfiguration(huggingFaceConfig: [
                "model_type": "mert_model", "feature_extractor_cqt": true,
            ])
        }
    }

    @Test(
        "huggingFaceConfig round-trips every preset through JSON",
        arguments: [EncoderConfiguration.hubertBase, .data2vecBase, .mertLarge, .tiny])
    func roundTrip(configuration: EncoderConfiguration) throws {
        let data = try configuration.huggingFaceConfigData()
        #expect(try EncoderConfiguration(huggingFaceConfig: data) == configuration)
        let object = try EncoderConfiguration.jsonObject(data, source: "export")
        #expect(object["conv_bias"] as? Bool == false)
        #expect(object["hidden_act"] as? String == "gelu")
        #expect(object["feat_proj_layer_norm"] as? Bool == true)
    }

    @Test("stacked positional convolutions with a group-norm extractor are not exportable")
    func notExportable() {
        var configuration = EncoderConfiguration.data2vecBase
        configuration.featureExtractorNormalization = .groupNormFirstLayer
        #expect(throws: EncoderCheckpointError.self) { try configuration.huggingFaceConfig() }
    }

    @Test("fairseq HuBERT and data2vec cfgs map onto the base presets")
    func fairseq() throws {
        let hubert: [String: Any] = [
            "model": [
                "_name": "hubert", "extractor_mode": "default", "encoder_layers": 12,
                "encoder_embed_dim": 768,
                "encoder_ffn_embed_dim": 3072, "encoder_attention_heads": 12,
                "activation_fn": "gelu",
                "dropout": 0.1, "attention_dropout": 0.1, "activation_dropout": 0.0,
                "dropout_input": 0.1,
                "encoder_layerdrop": 0.05,
                "conv_feature_layers": "[(512,10,5)] + [(512,3,2)] * 4 + [(512,2,2)] * 2",
                "conv_bias": false, "conv_pos": 128, "conv_pos_groups": 16,
                "layer_norm_first": false,
            ] as [String: Any],
            "task": ["sample_rate": 16000],
        ]
        #expect(try EncoderConfiguration(fairseqConfig: hubert) == .hubertBase)
        let data2vec: [String: Any] = [
            "extractor_mode": "layer_norm", "conv_pos": 95, "pos_conv_depth": 5,
            "dropout_input": 0.0,
            "activation_dropout": 0.0, "encoder_layerdrop": 0.05,
        ]
        #expect(try EncoderConfiguration(fairseqConfig: data2vec) == .data2vecBase)
    }

    @Test(
        "conv_feature_layers is parsed, not evaluated",
        arguments: [
            ("[(512,10,5)] + [(512,3,2)] * 4 + [(512,2,2)] * 2", 7),
            ("[(512, 10, 5), (512, 3, 2)]", 2),
            ("[(256,10,5)]*3", 3),
        ])
    func convLayers(text: String, count: Int) throws {
        let layers = try FairseqConvolutionLayers.parse(text, source: "cfg")
        #expect(layers.count == count)
        if count == 7 { #expect(layers == ConvolutionLayerShape.wav2vec2()) }
    }

    @Test(
        "hostile or malformed conv_feature_layers strings are refused",
        arguments: [
            "__import__('os').system('ls')", "[(512,10,5)] * 100000", "[(512,10)]",
            "[(512,10,5)] -",
            "[(0,10,5)]", "",
        ])
    func convLayersRefused(text: String) {
        #expect(throws: EncoderCheckpointError.self) {
            try FairseqConvolutionLayers.parse(text, source: "cfg")
        }
    }
}
