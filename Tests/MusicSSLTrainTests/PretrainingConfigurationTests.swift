import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

@Suite("Pre-training configurations")
struct PretrainingConfigurationTests {
    static let configs = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/configs")

    @Test("the example configs load, and the base ones hold the reference recipes", arguments: [
        "musichubert-base", "music2vec-base", "musichubert-tiny", "music2vec-tiny",
    ])
    func examples(name: String) throws {
        let configuration = try ConfigurationLoader.load(contentsOf: Self.configs.appendingPathComponent("\(name).yaml"))
        if name.hasSuffix("base") {
            #expect(configuration == .defaults(for: configuration.objective), "\(name) drifted from the defaults")
        }
        #expect(try configuration.encoderConfiguration().layerCount == (name.hasSuffix("tiny") ? 4 : 12))
    }

    @Test("every ablation knob of the paper is a key that --set reaches")
    func ablationKnobs() throws {
        let knobs: [(String, (PretrainingConfiguration) -> AnyHashable)] = [
            ("hubert.clusters=2000", { $0.hubert.clusters }),
            ("hubert.mfcc_dimensions=60", { $0.hubert.mfccDimensions }),
            ("hubert.iteration=2", { $0.hubert.iteration }),
            ("masking.span_length=15", { $0.masking.spanLength }),
            ("masking.probability=0.5", { $0.masking.probability }),
            ("optimization.steps=800000", { $0.optimization.steps }),
            ("data2vec.target_layers=12", { $0.data2vec.targetLayers }),
            ("data.crop_seconds=30", { $0.data.cropSeconds }),
        ]
        let expected: [AnyHashable] = [2000, 60, 2, 15, 0.5, 800_000, 12, 30.0]
        for ((override, read), value) in zip(knobs, expected) {
            let configuration = try ConfigurationLoader.load(contentsOf: nil, overrides: [override])
            #expect(read(configuration) == value, "\(override)")
        }
        let iteration2 = try ConfigurationLoader.load(contentsOf: nil, overrides: ["hubert.iteration=2"])
        #expect(iteration2.hubert.labelRate == 50)
    }

    @Test("the objective picks its defaults; file keys and overrides apply in that order")
    func layering() throws {
        let yaml = "objective: music2vec\nmasking:\n  probability: 0.8\noptimization:\n  learning_rate: 5e-4\n"
        let configuration = try ConfigurationLoader.load(
            yaml: yaml, source: "test", overrides: ["masking.probability=0.5", "data.corpus=/music"])
        #expect(configuration.objective == .music2vec)
        #expect(configuration.masking.probability == 0.5)
        #expect(configuration.masking.minimumMasks == 1)
        #expect(configuration.optimization.schedule == "tri_stage")
        #expect(configuration.optimization.learningRate == 5e-4)
        #expect(configuration.data.corpus == "/music")
        #expect(configuration.spanMasking.countDraw == .perBatch)
        let dumped = try ConfigurationLoader.yaml(for: configuration)
        #expect(dumped.contains("probability: 0.5\n") && dumped.contains("learning_rate: 0.0005\n"), "\(dumped)")
        let again = try ConfigurationLoader.load(yaml: dumped, source: "dump")
        #expect(again == configuration)
        // Text that YAML would read as another type stays text.
        var tricky = configuration
        tricky.data.corpus = "123"
        tricky.data.labels = "true"
        #expect(try ConfigurationLoader.load(yaml: ConfigurationLoader.yaml(for: tricky), source: "dump") == tricky)
    }

    @Test("the model-size keys replace the architecture's sizes")
    func modelSize() throws {
        let configuration = try ConfigurationLoader.load(
            yaml: "objective: music2vec\nmodel: {architecture: tiny, layers: 2, dimensions: 64, convolution_channels: 32}\n",
            source: "t", overrides: ["model.heads=8", "data2vec.target_layers=2"])
        let encoder = try configuration.encoderConfiguration()
        #expect(encoder.layerCount == 2 && encoder.modelDimensions == 64 && encoder.headCount == 8)
        #expect(encoder.feedForwardDimensions == 256 && encoder.convolutionLayers.allSatisfy { $0.channels == 32 })
        #expect(encoder.featureExtractorNormalization == .layerNormEveryLayer)
        // Unset, the architecture's own sizes stay.
        #expect(try ConfigurationLoader.load(contentsOf: nil).encoderConfiguration() == .hubertBase)
    }

    @Test("unknown keys are refused with the valid ones; bad values name their key")
    func errors() throws {
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(yaml: "masking:\n  probabilty: 0.5\n", source: "t") }
        do {
            _ = try ConfigurationLoader.load(yaml: "masking:\n  probabilty: 0.5\n", source: "t")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("masking.probabilty") && error.description.contains("masking.probability"))
        }
        let cases: [(String, [String], String)] = [
            ("", ["masking.probability=high"], "masking.probability"),
            ("", ["masking.probability=1.5"], "masking.probability"),
            ("", ["hubert.mfcc_dimensions=40"], "hubert.mfcc_dimensions"),
            ("", ["objective=wav2vec"], "objective"),
            ("", ["model.architecture=huge"], "model.architecture"),
            ("", ["model.heads=5"], "model.heads"),
            ("", ["model.dimensions=100"], "model.dimensions"),
            ("", ["model.layers=0"], "model.layers"),
            ("data: 3\n", [], "data"),
            ("- a\n- b\n", [], "mapping"),
            ("masking: {probability: [1\n", [], "t"),
        ]
        for (yaml, overrides, mentioned) in cases {
            do {
                _ = try ConfigurationLoader.load(yaml: yaml, source: "t", overrides: overrides)
                Issue.record("accepted \(yaml) \(overrides)")
            } catch let error as ConfigurationError {
                #expect(error.description.contains(mentioned), "\(error)")
            }
        }
        #expect(throws: ConfigurationError.malformedOverride("steps")) {
            try ConfigurationLoader.load(contentsOf: nil, overrides: ["steps"])
        }
    }

    /// Found by fuzzing (Fuzz/README.md, target `yaml`): Yams constructs every mapping key as a
    /// String with a force-unwrap, so a key that is a sequence or mapping trapped the process.
    @Test("a mapping key that is a sequence or mapping is refused with its line, not a trap")
    func complexKeys() throws {
        let fuzzed = try #require(
            Bundle.module.url(forResource: "yaml-complex-key", withExtension: "yaml", subdirectory: "Fixtures/fuzz"))
        let cases: [(String, String)] = [
            (String(decoding: try Data(contentsOf: fuzzed), as: UTF8.self), "line 3"),
            ("{[a]: 1}\n", "line 1"),
            ("? [steps]\n: 3\n", "line 1"),
            ("data:\n  crop_seconds: 5\n  ? {a: 1}\n  : 2\n", "line 3"),
            ("masking:\n  probability: [{[1]: 2}]\n", "line 2"),
            ("!!set {? [a]}\n", "line 1"),
        ]
        for (yaml, line) in cases {
            do {
                _ = try ConfigurationLoader.load(yaml: yaml, source: "fuzz.yaml")
                Issue.record("accepted \(yaml)")
            } catch let error as ConfigurationError {
                #expect(error.description.contains("fuzz.yaml"), "\(error)")
                #expect(error.description.contains("\(line): a mapping key must be a plain value"), "\(error)")
            }
        }
        // An override's value is YAML too; such a value stays text and is refused by type.
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(contentsOf: nil, overrides: ["masking.probability={[a]: 1}"])
        }
    }
}
