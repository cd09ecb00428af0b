import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// Small, fast settings: a 16-unit MLP on the synthetic tasks.
func smallConfiguration(
    _ task: ProbeTask, learningRate: Double = 1e-2, layer: LayerSelection = .all,
    seed: UInt64 = 1234
) -> ProbeTrainingConfiguration {
    var configuration = ProbeTrainingConfiguration(
        learningRate: learningRate, layer: layer, schedule: task.schedule, seed: seed)
    configuration.architecture = .mlp(hiddenDimensions: 16, dropout: 0.2)
    configuration.batchSize = 16
    return configuration
}

/// A result with its wall time zeroed, for exact comparison.
func timeless(_ result: ProbeRunResult) -> ProbeRunResult {
    var copy = result
    copy.seconds = 0
    return copy
}

@Suite("Probe trainer")
struct ProbeTrainerTests {
    @Test("a probe learns a separable classification task")
    func learnsClassification() throws {
        let synthetic = try SyntheticProbeTask.classification()
        let result = try ProbeTrainer(
            features: try synthetic.featureSet(), configuration: smallConfiguration(synthetic.task)
        ).run()
        #expect(result.test.values["accuracy"] ?? 0 > 0.9, "\(result.test)")
        #expect(result.valid.monitor == result.valid.values["accuracy"])
        #expect(result.bestEpoch >= 1 && result.bestEpoch <= result.epochCount)
    }

    @Test("a probe learns a separable multi-label task (ROC-AUC > 0.9)")
    func learnsMultilabel() throws {
        let tagCount = 4
        var generator = SplitMix64(seed: 21)
        let tagSets = (0..<100).map { _ in
            (0..<tagCount).filter { _ in generator.next() % 2 == 0 }
        }
        let items = SyntheticProbeTask.items(label: { .tags(tagSets[$0]) })
        let prototypes = SyntheticProbeTask.prototypes(count: tagCount, dimensions: 8, seed: 22)
        let features = try SyntheticProbeTask.features(
            items: items, hiddenStates: 3, dimensions: 8, windows: 1, informativeLayer: nil,
            noise: 0.3, seed: 23
        ) { index in
            (0..<8).map { dimension in
                tagSets[index].reduce(0) { $0 + prototypes[$1][dimension] }
            }
        }
        let task = ProbeTask(
            name: "synthetic-tags", kind: .multiLabel(tags: ["a", "b", "c", "d"]),
            metric: .multilabelRanking, items: items,
            schedule: .init(learningRatePatience: 2, earlyStoppingPatience: 4, maximumEpochs: 30))
        let synthetic = SyntheticProbeTask(task: task, features: features, framesPerSecond: nil)
        let result = try ProbeTrainer(
            features: try synthetic.featureSet(), configuration: smallConfiguration(task)
        ).run()
        #expect(result.test.values["roc_auc"] ?? 0 > 0.9, "\(result.test)")
        #expect(result.test.values["average_precision"] != nil)
        #expect(result.valid.monitor == result.valid.values["roc_auc"])
    }

    @Test("a probe learns a linear regression (R² > 0.8), scored per output and on average")
    func learnsRegression() throws {
        let synthetic = try Self.regressionTask()
        let result = try ProbeTrainer(
            features: try synthetic.featureSet(), configuration: smallConfiguration(synthetic.task)
        ).run()
        #expect(result.test.values["r2"] ?? 0 > 0.8, "\(result.test)")
        #expect(result.test.values["r2_arousal"] != nil && result.test.values["r2_valence"] != nil)
        #expect(result.valid.monitor == result.valid.values["r2"])
    }

    @Test("early stopping ends the run patience epochs after the best epoch")
    func earlyStoppingStopsAtBestPlusPatience() throws {
        let synthetic = try SyntheticProbeTask.classification(noise: 0.2)
        let result = try ProbeTrainer(
            features: try synthetic.featureSet(), configuration: smallConfiguration(synthetic.task)
        ).run()
        #expect(result.epochCount < synthetic.task.schedule.maximumEpochs)
        #expect(
            result.epochCount
                == result.bestEpoch + synthetic.task.schedule.earlyStoppingPatience)
    }

    @Test("the best epoch's parameters are the ones tested")
    func bestEpochIsTested() throws {
        // Test = validation items, so the tested parameters must reproduce the best validation
        // scores exactly; R² is continuous, so a later epoch would score differently.
        let synthetic = try Self.regressionTask(testIsValid: true)
        var configuration = smallConfiguration(synthetic.task, learningRate: 5e-2)
        configuration.schedule = .init(
            learningRatePatience: 10, earlyStoppingPatience: 3, maximumEpochs: 40)
        let result = try ProbeTrainer(
            features: try synthetic.featureSet(), configuration: configuration
        ).run()
        #expect(result.bestEpoch < result.epochCount)
        #expect(result.test == result.valid)
    }

    @Test("the same seed gives a bit-identical result, another seed a different one")
    func deterministic() throws {
        let synthetic = try SyntheticProbeTask.classification(noise: 1.0)
        let features = try synthetic.featureSet()
        let run = { (seed: UInt64) in
            try ProbeTrainer(
                features: features, configuration: smallConfiguration(synthetic.task, seed: seed)
            ).run()
        }
        let first = try run(7)
        let second = try run(7)
        let other = try run(8)
        #expect(timeless(first) == timeless(second))
        #expect(timeless(first).layerWeights != timeless(other).layerWeights)
    }

    @Test("weighted-sum weights sum to 1 and favour the one informative layer")
    func weightsFavourInformativeLayer() throws {
        let synthetic = try SyntheticProbeTask.classification(informativeLayer: 2, noise: 1.0)
        var configuration = smallConfiguration(
            synthetic.task, learningRate: 1e-2, layer: .weightedSum(includesLayer0: true))
        configuration.layerWeightInitialization = .zeros
        let result = try ProbeTrainer(
            features: try synthetic.featureSet(), configuration: configuration
        ).run()
        let weights = try #require(result.layerWeights)
        #expect(weights.map(\.layer) == [0, 1, 2, 3])
        #expect(abs(weights.reduce(0) { $0 + $1.weight } - 1) < 1e-5)
        let strongest = try #require(weights.max { $0.weight < $1.weight })
        #expect(strongest.layer == 2, "\(weights)")
    }

    @Test("a single-layer run reports no layer weights and MARBLE's all leaves out layer 0")
    func layerSelections() throws {
        let synthetic = try SyntheticProbeTask.classification()
        let features = try synthetic.featureSet()
        var configuration = smallConfiguration(synthetic.task, layer: .single(2))
        configuration.schedule = .init(
            learningRatePatience: 1, earlyStoppingPatience: 1, maximumEpochs: 2)
        #expect(
            try ProbeTrainer(features: features, configuration: configuration).run()
                .layerWeights == nil)
        configuration.layer = .all
        let weights = try #require(
            try ProbeTrainer(features: features, configuration: configuration).run().layerWeights)
        #expect(weights.map(\.layer) == [1, 2, 3])
        configuration.layer = .single(4)
        #expect(throws: ProbeError.layerOutOfRange(layer: .single(4), hiddenStateCount: 4)) {
            try ProbeTrainer(features: features, configuration: configuration)
        }
    }

    @Test("a key probe scores songs, validation's fusion strategy deciding the test score")
    func keyTask() throws {
        let classes = MusicalKey.marbleClasses.map(\.description)
        // Songs of two clips; song s has key s % 24.
        let counts: [(DataSplit, Int)] = [(.train, 96), (.valid, 48), (.test, 48)]
        let items = SyntheticProbeTask.items(
            counts: counts, label: { .classIndex(($0 / 2) % 24) },
            group: { split, position in "\(split.rawValue)-song\(position / 2)" })
        let prototypes = SyntheticProbeTask.prototypes(count: 24, dimensions: 24, seed: 51)
        let features = try SyntheticProbeTask.features(
            items: items, hiddenStates: 2, dimensions: 24, windows: 1, informativeLayer: nil,
            noise: 0.3, seed: 52
        ) { prototypes[($0 / 2) % 24] }
        let task = ProbeTask(
            name: "synthetic-key", kind: .singleLabel(classes: classes), metric: .keyScore,
            items: items,
            schedule: .init(learningRatePatience: 3, earlyStoppingPatience: 5, maximumEpochs: 40))
        let synthetic = SyntheticProbeTask(task: task, features: features, framesPerSecond: nil)
        let result = try ProbeTrainer(
            features: try synthetic.featureSet(), configuration: smallConfiguration(task)
        ).run()
        let reported = try #require(result.test.values["weighted_score"])
        #expect(reported > 0.9, "\(result.test)")
        #expect(result.test.monitor == reported)
        #expect(
            KeyFusionStrategy.allCases.contains {
                result.test.values["weighted_score_\($0.rawValue)"] == reported
            })
        #expect(result.test.values["clip_accuracy"] != nil)
    }

    /// Two outputs (arousal, valence) that are a fixed linear map of the features.
    static func regressionTask(testIsValid: Bool = false) throws -> SyntheticProbeTask {
        var generator = SplitMix64(seed: 31)
        let targets = (0..<100).map { _ in
            Tensor.randomNormal([2], using: &generator).scalars.map(Double.init)
        }
        let counts: [(DataSplit, Int)] =
            testIsValid
            ? [(.train, 60), (.valid, 20), (.test, 20)] : SyntheticProbeTask.splitCounts
        var items = SyntheticProbeTask.items(counts: counts, label: { .values(targets[$0]) })
        let mixing = SyntheticProbeTask.prototypes(count: 2, dimensions: 8, seed: 32)
        var features = try SyntheticProbeTask.features(
            items: items, hiddenStates: 3, dimensions: 8, windows: 1, informativeLayer: nil,
            noise: 0.05, seed: 33
        ) { index in
            (0..<8).map {
                mixing[0][$0] * Float(targets[index][0]) + mixing[1][$0] * Float(targets[index][1])
            }
        }
        if testIsValid {
            // The test items become copies of the validation items (same labels, features).
            let valid = items.filter { $0.split == .valid }
            items = items.filter { $0.split != .test }
            for item in valid {
                var copy = item
                copy.id = "test-" + item.id
                copy.split = .test
                features[copy.id] = features[item.id]
                items.append(copy)
            }
        }
        let task = ProbeTask(
            name: "synthetic-emotion", kind: .regression(outputs: ["arousal", "valence"]),
            metric: .r2, items: items,
            schedule: .init(learningRatePatience: 3, earlyStoppingPatience: 6, maximumEpochs: 40))
        return SyntheticProbeTask(task: task, features: features, framesPerSecond: nil)
    }
}
