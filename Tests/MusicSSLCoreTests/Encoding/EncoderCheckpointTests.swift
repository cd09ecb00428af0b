import Foundation
import MusicSSLTestSupport
import Testing

@testable import MusicSSLCore

@Suite("Encoder checkpoints: import, MusicSSL format, HF export")
struct EncoderCheckpointTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// The fixture's HF state dict of `family`, under HF's names.
    static func stateDict(_ family: String, _ fixture: [String: Tensor]) -> [String: Tensor] {
        let prefix = "\(family).param."
        return Dictionary(
            uniqueKeysWithValues: fixture.compactMap { key, value in
                key.hasPrefix(prefix) ? (String(key.dropFirst(prefix.count)), value) : nil
            })
    }

    /// Writes an HF model directory for `family` from the fixture, spelling weight norm the new
    /// way (`parametrizations.weight.original0/1`) and the names under `prefix`.
    func writeHuggingFaceDirectory(
        _ family: String, _ fixture: [String: Tensor], prefix: String = "", newWeightNorm: Bool
    ) throws -> URL {
        let url = directory.file(family + prefix)
        let configuration = EncoderModelParityTests.configuration(family)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try configuration.huggingFaceConfigData().write(
            to: url.appendingPathComponent("config.json"))
        let tensors = Self.stateDict(family, fixture).map { name, tensor in
            var name = name
            if newWeightNorm {
                name = name.replacingOccurrences(
                    of: "weight_g", with: "parametrizations.weight.original0"
                )
                .replacingOccurrences(of: "weight_v", with: "parametrizations.weight.original1")
            }
            return (name: prefix + name, tensor: tensor)
        }
        try SafeTensorsWriter.write(tensors, to: url.appendingPathComponent("model.safetensors"))
        return url
    }

    func expectHiddenStatesMatch(
        _ model: EncoderModel, _ family: String, _ fixture: [String: Tensor]
    ) throws {
        var generator = SplitMix64(seed: 0)
        let output = try model(try #require(fixture["clip"]), using: &generator)
        for (index, state) in output.encoder.hiddenStates.enumerated() {
            let key = EncoderModelParityTests.referenceKey(
                family, "clip", index: index, layerCount: 2)
            expectClose(
                state, try #require(fixture[key]),
                tolerance: EncoderModelParityTests.hiddenStateTolerance,
                "\(family) hidden state \(index)")
        }
    }

    @Test(
        "an HF directory loads with either weight-norm spelling and reproduces transformers' hidden states",
        arguments: [
            ("hubert", false), ("hubert_prenorm", true), ("data2vec", true), ("data2vec", false),
        ])
    func huggingFaceDirectory(family: String, newWeightNorm: Bool) throws {
        let fixture = try Fixture.load("encoder_models", in: Bundle.module)
        let url = try writeHuggingFaceDirectory(family, fixture, newWeightNorm: newWeightNorm)
        let model = try EncoderModel(huggingFaceDirectory: url)
        #expect(model.configuration == EncoderModelParityTests.configuration(family))
        try expectHiddenStatesMatch(model, family, fixture)
    }

    @Test("wrapper prefixes and task heads are stripped and ignored")
    func wrapped() throws {
        let fixture = try Fixture.load("encoder_models", in: Bundle.module)
        let url = try writeHuggingFaceDirectory(
            "hubert", fixture, prefix: "hubert.", newWeightNorm: true)
        let imported = try EncoderCheckpoint.importHuggingFace(directory: url)
        #expect(imported.report.isComplete)
        #expect(imported.report.loaded.count == imported.model.namedParameters().count)
        var tensors = Self.stateDict("hubert", fixture)
        tensors["lm_head.weight"] = Tensor.zeros([4, 32])
        let report = try imported.model.load(stateDict: tensors)
        #expect(report.ignored == ["lm_head.weight"])
    }

    @Test("unknown, missing, mis-shaped and repeated keys are reported by name")
    func mismatches() throws {
        let fixture = try Fixture.load("encoder_models", in: Bundle.module)
        var tensors = Self.stateDict("hubert", fixture)
        tensors["encoder.layers.0.attention.q_proj.bias"] = nil
        tensors["encoder.layers.1.final_layer_norm.weight"] = Tensor.zeros([31])
        tensors["encoder.layers.9.attention.q_proj.weight"] = Tensor.zeros([32, 32])
        tensors["encoder.pos_conv_embed.conv.parametrizations.weight.original0"] =
            tensors["encoder.pos_conv_embed.conv.weight_g"]
        var generator = SplitMix64(seed: 0)
        let model = try EncoderModel(
            configuration: EncoderModelParityTests.configuration("hubert"), using: &generator)
        let before = try #require(
            model.parameter(named: "encoder.layers.0.attention.k_proj.weight")
        ).value
        let error = #expect(throws: EncoderCheckpointError.self) {
            try model.load(stateDict: tensors, source: "ckpt")
        }
        guard case .stateDictMismatch(let source, let report) = error else {
            Issue.record("expected a state dict mismatch, got \(String(describing: error))")
            return
        }
        #expect(source == "ckpt")
        #expect(report.missing == ["encoder.layers.0.attention.q_proj.bias"])
        #expect(report.unexpected == ["encoder.layers.9.attention.q_proj.weight"])
        #expect(
            report.shapeMismatches == [
                .init(name: "encoder.layers.1.final_layer_norm.weight", expected: [32], found: [31])
            ])
        #expect(report.duplicates.count == 1)
        for name in ["q_proj.bias", "final_layer_norm.weight", "layers.9"] {
            #expect(error?.description.contains(name) == true)
        }
        // Strict failure leaves the model untouched; lenient loading takes what fits.
        #expect(
            try #require(model.parameter(named: "encoder.layers.0.attention.k_proj.weight")).value
                .scalars == before.scalars)
        let lenient = try model.load(stateDict: tensors, strict: false)
        #expect(lenient.loaded.count == model.namedParameters().count - 2)
        #expect(
            try #require(model.parameter(named: "encoder.layers.0.attention.k_proj.weight")).value
                .scalars != before.scalars)
    }

    @Test(
        "fairseq names translate through the rename table",
        arguments: [
            (
                "feature_extractor.conv_layers.0.0.weight",
                "feature_extractor.conv_layers.0.conv.weight"
            ),
            (
                "feature_extractor.conv_layers.0.2.bias",
                "feature_extractor.conv_layers.0.layer_norm.bias"
            ),
            (
                "feature_extractor.conv_layers.4.2.1.weight",
                "feature_extractor.conv_layers.4.layer_norm.weight"
            ),
            ("post_extract_proj.weight", "feature_projection.projection.weight"),
            ("layer_norm.bias", "feature_projection.layer_norm.bias"),
            ("mask_emb", "masked_spec_embed"),
            ("encoder.pos_conv.0.weight_g", "encoder.pos_conv_embed.conv.weight_g"),
            (
                "encoder.pos_conv.0.parametrizations.weight.original1",
                "encoder.pos_conv_embed.conv.weight_v"
            ),
            ("encoder.pos_conv.3.0.bias", "encoder.pos_conv_embed.layers.3.conv.bias"),
            ("encoder.layer_norm.weight", "encoder.layer_norm.weight"),
            (
                "encoder.layers.11.self_attn.out_proj.bias",
                "encoder.layers.11.attention.out_proj.bias"
            ),
            ("encoder.layers.2.self_attn_layer_norm.weight", "encoder.layers.2.layer_norm.weight"),
            (
                "encoder.layers.2.fc1.weight",
                "encoder.layers.2.feed_forward.intermediate_dense.weight"
            ),
            ("encoder.layers.2.fc2.bias", "encoder.layers.2.feed_forward.output_dense.bias"),
            ("encoder.layers.2.final_layer_norm.bias", "encoder.layers.2.final_layer_norm.bias"),
        ])
    func fairseqNames(source: String, expected: String) {
        #expect(StateDictNames.translate(source, from: .fairseq) == .parameter(expected))
    }

    @Test("fairseq-only tensors are ignored and unknown ones are not translated")
    func fairseqIgnored() {
        for name in [
            "label_embs_concat", "final_proj.weight", "final_proj.0.bias", "_ema.foo",
            "encoder_cqt_model.fc.weight",
        ] {
            #expect(StateDictNames.translate(name, from: .fairseq) == .ignored, "\(name)")
        }
        #expect(StateDictNames.translate("encoder.layers.0.adapter.weight", from: .fairseq) == nil)
        #expect(StateDictNames.detectNaming(["mask_emb", "post_extract_proj.weight"]) == .fairseq)
        #expect(StateDictNames.detectNaming(["hubert.masked_spec_embed"]) == .huggingFace)
    }

    @Test(
        "a fairseq-named state dict loads and reproduces transformers' hidden states",
        arguments: ["hubert", "data2vec"])
    func fairseqStateDict(family: String) throws {
        let fixture = try Fixture.load("encoder_models", in: Bundle.module)
        // Build fairseq names by inverting the table on the fixture's HF names.
        var fairseq: [String: Tensor] = ["label_embs_concat": Tensor.zeros([5, 4])]
        for (name, tensor) in Self.stateDict(family, fixture) {
            let source = try #require(
                Self.fairseqName(name, family: family), "no fairseq name for \(name)")
            fairseq[source] = tensor
        }
        var generator = SplitMix64(seed: 0)
        let model = try EncoderModel(
            configuration: EncoderModelParityTests.configuration(family), using: &generator)
        model.setTraining(false)
        let report = try model.load(stateDict: fairseq)
        #expect(report.naming == .fairseq)
        #expect(report.ignored == ["label_embs_concat"])
        try expectHiddenStatesMatch(model, family, fixture)
    }

    @Test("a decoded fairseq checkpoint (cfg + model) imports end to end")
    func fairseqCheckpoint() throws {
        let fixture = try Fixture.load("encoder_models", in: Bundle.module)
        var stateDict: [String: Tensor] = ["final_proj.weight": Tensor.zeros([4, 32])]
        for (name, tensor) in Self.stateDict("data2vec", fixture) {
            stateDict[try #require(Self.fairseqName(name, family: "data2vec"))] = tensor
        }
        let cfg: [String: Any] = [
            "model": [
                "_name": "data2vec_audio", "extractor_mode": "layer_norm", "encoder_layers": 2,
                "encoder_embed_dim": 32, "encoder_ffn_embed_dim": 64, "encoder_attention_heads": 4,
                "conv_feature_layers": "[(16,10,5)] + [(16,3,2)] * 4 + [(16,2,2)] * 2",
                "conv_pos": 15, "pos_conv_depth": 3, "conv_pos_groups": 4, "dropout_input": 0.1,
            ] as [String: Any],
            "task": ["sample_rate": 16000],
        ]
        let imported = try EncoderCheckpoint.importFairseq(
            stateDict: stateDict, cfg: cfg, source: "d2v.pt")
        #expect(imported.report.ignored == ["final_proj.weight"])
        #expect(imported.provenance.format == "fairseq")
        var expected = EncoderModelParityTests.configuration("data2vec")
        expected.inputDropoutProbability = 0.1
        expected.activationDropoutProbability = 0
        expected.layerDropProbability = 0
        #expect(imported.model.configuration == expected)
        try expectHiddenStatesMatch(imported.model, "data2vec", fixture)
    }

    /// The fairseq name whose translation is `name`, written out independently of the table.
    static func fairseqName(_ name: String, family: String) -> String? {
        let parts = name.split(separator: ".").map(String.init)
        switch parts.first {
        case "masked_spec_embed": return "mask_emb"
        case "feature_projection":
            return (parts[1] == "projection" ? "post_extract_proj." : "layer_norm.") + parts[2]
        case "feature_extractor":
            let index = parts[2]
            if parts[3] == "conv" { return "feature_extractor.conv_layers.\(index).0.weight" }
            return family == "data2vec"
                ? "feature_extractor.conv_layers.\(index).2.1.\(parts[4])"
                : "feature_extractor.conv_layers.\(index).2.\(parts[4])"
        case "encoder":
            if parts[1] == "pos_conv_embed" {
                return parts[2] == "conv"
                    ? "encoder.pos_conv.0.\(parts[3])"
                    : "encoder.pos_conv.\(parts[3]).0.\(parts[5])"
            }
            if parts[1] == "layer_norm" { return name }
            let layer = "encoder.layers.\(parts[2])."
            switch parts[3] {
            case "attention": return layer + "self_attn.\(parts[4]).\(parts[5])"
            case "layer_norm": return layer + "self_attn_layer_norm.\(parts[4])"
            case "final_layer_norm": return name
            case "feed_forward":
                return layer + (parts[4] == "intermediate_dense" ? "fc1." : "fc2.") + parts[5]
            default: return nil
            }
        default: return nil
        }
    }

    @Test(
        "a MusicSSL checkpoint round-trips bit-exactly with configuration and provenance",
        arguments: ["hubert_prenorm", "data2vec"])
    func musicSSLRoundTrip(family: String) throws {
        let fixture = try Fixture.load("encoder_models", in: Bundle.module)
        let model = try EncoderModelParityTests.loadModel(family, from: fixture)
        let url = directory.file("\(family).safetensors")
        let provenance = CheckpointProvenance(
            source: "/models/\(family)", format: "huggingface", date: "2026-01-01")
        try EncoderCheckpoint.save(model, provenance: provenance, to: url)
        let (restored, restoredProvenance) = try EncoderCheckpoint.read(url)
        #expect(restored.configuration == model.configuration)
        #expect(restoredProvenance == provenance)
        #expect(!restored.isTraining)
        for ((name, original), (restoredName, copy)) in zip(
            model.namedParameters(), restored.namedParameters())
        {
            #expect(name == restoredName)
            #expect(
                original.value.shape == copy.value.shape
                    && original.value.scalars == copy.value.scalars, "\(name) changed")
        }
    }

    @Test("a checkpoint without or with broken configuration metadata names the file and key")
    func badMetadata() throws {
        let url = directory.file("plain.safetensors")
        try SafeTensorsWriter.write([("x", Tensor([1]))], metadata: [:], to: url)
        let missing = #expect(throws: EncoderCheckpointError.self) {
            try EncoderCheckpoint.load(url)
        }
        #expect(missing?.description.contains(url.path) == true)
        #expect(missing?.description.contains(EncoderCheckpoint.configurationKey) == true)
        try SafeTensorsWriter.write(
            [("x", Tensor([1]))],
            metadata: [EncoderCheckpoint.configurationKey: "{\"sampleRate\": 1}"], to: url)
        let malformed = #expect(throws: EncoderCheckpointError.self) {
            try EncoderCheckpoint.load(url)
        }
        #expect(malformed?.description.contains("not a valid encoder configuration") == true)
    }

    @Test(
        "an HF export re-imports to the same weights and writes what transformers needs",
        arguments: ["hubert", "hubert_prenorm", "data2vec"])
    func exportRoundTrip(family: String) throws {
        let fixture = try Fixture.load("encoder_models", in: Bundle.module)
        let model = try EncoderModelParityTests.loadModel(family, from: fixture)
        // Tests/FixtureGenerators/check_hf_export.py loads these directories with transformers
        // when MUSICSSL_HF_EXPORT_DIR names where to keep them.
        let kept = ProcessInfo.processInfo.environment["MUSICSSL_HF_EXPORT_DIR"]
        let url =
            kept.map { URL(fileURLWithPath: $0).appendingPathComponent(family) }
            ?? directory.file("export-\(family)")
        try EncoderCheckpoint.exportHuggingFace(model, to: url)
        let weights = try SafeTensorsFile(
            contentsOf: url.appendingPathComponent("model.safetensors"))
        #expect(weights.metadata["format"] == "pt")
        #expect(Set(weights.tensorNames) == Set(Self.stateDict(family, fixture).keys))
        let imported = try EncoderCheckpoint.importEncoder(from: url)
        #expect(imported.model.configuration == model.configuration)
        for ((name, original), (_, copy)) in zip(
            model.namedParameters(), imported.model.namedParameters())
        {
            #expect(
                original.value.shape == copy.value.shape
                    && original.value.scalars == copy.value.scalars, "\(name) changed")
        }
    }

    @Test("a HuggingFace directory with pytorch_model.bin imports through the restricted unpickler")
    func pickledHuggingFace() throws {
        let bundled = try #require(
            Bundle.module.url(forResource: "hf_hubert_bin", withExtension: nil, subdirectory: "Fixtures"))
        let imported = try EncoderCheckpoint.importEncoder(from: bundled)
        let fixture = try Fixture.load("encoder_models", in: Bundle.module)
        imported.model.setTraining(false)
        var generator = SplitMix64(seed: 0)
        let output = try imported.model(try #require(fixture["clip"]), using: &generator)
        for (index, state) in output.encoder.hiddenStates.enumerated() {
            expectClose(state, try #require(fixture["hubert.clip.hidden.\(index)"]), tolerance: 1e-4, "hidden state \(index)")
        }
        let fromFile = try EncoderCheckpoint.importEncoder(from: bundled.appendingPathComponent("pytorch_model.bin"))
        #expect(fromFile.model.parameterCount == imported.model.parameterCount)
    }

    @Test("a .pt pickle without a fairseq cfg is refused with a message naming the file")
    func notFairseq() throws {
        let url = try #require(Bundle.module.url(forResource: "state_dict", withExtension: "pt", subdirectory: "Fixtures/torch"))
        let error = #expect(throws: EncoderCheckpointError.self) { try EncoderCheckpoint.importEncoder(from: url) }
        #expect(error?.description.contains("state_dict.pt") == true)
    }
}
