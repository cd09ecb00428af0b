import Foundation
import MusicSSLCore

/// Trains one probe (one learning rate, one layer selection, one seed) on cached features and
/// tests its best epoch, as MARBLE's `probe.py` does with Lightning (probe-spec §1.3–1.5, §2.2):
///
/// 1. each epoch: shuffle the training items (seeded), train on batches of
///    ``ProbeTrainingConfiguration/batchSize`` items, every window a sample with its item's
///    label (beat tracking: per-frame labels on random crops);
/// 2. evaluate validation with the window **logits averaged per item** (Q4; beat tracking:
///    per-frame beat probabilities decoded by the DBN);
/// 3. early stopping on the validation monitor (Lightning `EarlyStopping`), the best epoch's
///    parameters kept (`ModelCheckpoint`, first strictly best), the plateau schedule stepped
///    (`ReduceLROnPlateau`);
/// 4. after the last epoch, restore the best epoch's parameters and score validation and test.
///
/// Runs are deterministic: initialisation, batch order, dropout and crops come from
/// `SplitMix64` streams derived from the seed, so the same seed gives a bit-identical result
/// (except ``ProbeRunResult/seconds``) at a given thread count.
///
/// ```swift
/// let features = try ProbeFeatureSet(task: task) { try cache.features(for: $0.id) }
/// let configuration = ProbeTrainingConfiguration(learningRate: 1e-3, layer: .all, schedule: task.schedule)
/// let result = try ProbeTrainer(features: features, configuration: configuration).run()
/// print(result.bestEpoch, result.test.monitor)
/// ```
public struct ProbeTrainer {
    /// The task's features.
    public let features: ProbeFeatureSet
    /// The run's settings.
    public let configuration: ProbeTrainingConfiguration

    /// Prepares a run.
    ///
    /// - Throws: ``ProbeError`` for an invalid configuration or a layer the features lack.
    public init(features: ProbeFeatureSet, configuration: ProbeTrainingConfiguration) throws {
        try configuration.validate()
        _ = try configuration.layer.hiddenStates(outOf: features.hiddenStateCount)
        self.features = features
        self.configuration = configuration
    }

    /// The generator streams of one run, derived from its seed.
    struct Generators {
        var initialization: SplitMix64
        var shuffling: SplitMix64
        var dropout: SplitMix64
        var cropping: SplitMix64

        init(seed: UInt64) {
            initialization = SplitMix64(seed: seed, index: 0)
            shuffling = SplitMix64(seed: seed, index: 1)
            dropout = SplitMix64(seed: seed, index: 2)
            cropping = SplitMix64(seed: seed, index: 3)
        }
    }

    /// Trains, early-stops and tests.
    ///
    /// - Throws: ``ProbeError``, `TensorError` or ``MetricError`` from the steps.
    public func run() throws -> ProbeRunResult {
        let start = DispatchTime.now().uptimeNanoseconds
        var generators = Generators(seed: configuration.seed)
        let head = try makeHead(using: &generators.initialization)
        let optimization = try ProbeOptimization(
            head: head, learningRate: configuration.learningRate,
            learningRatePatience: configuration.schedule.learningRatePatience,
            factor: configuration.learningRateFactor, threshold: configuration.plateauThreshold,
            cooldown: configuration.plateauCooldown)
        var evaluator = try makeEvaluator()
        var stopping = EarlyStopping(
            patience: configuration.schedule.earlyStoppingPatience,
            minimumDelta: configuration.earlyStoppingMinimumDelta)
        let batches = try TrainingBatches(trainer: self, head: head)

        var best: (epoch: Int, parameters: [Tensor], valid: TaskScores)?
        var lastValid: TaskScores?
        var epochCount = 0
        for epoch in 1...configuration.schedule.maximumEpochs {
            epochCount = epoch
            try batches.trainEpoch(optimization, generators: &generators)
            let valid = try validationScores(head: head, evaluator: &evaluator)
            lastValid = valid
            let decision = stopping.update(monitor: valid.monitor)
            if decision.isBest {
                best = (epoch, snapshot(head), valid)
            }
            if decision.shouldStop { break }
            optimization.endEpoch(validationMonitor: valid.monitor)
        }
        // With no finite monitor there is no checkpoint; the last epoch stands in for it.
        let bestEpoch = best?.epoch ?? epochCount
        guard let bestValid = best?.valid ?? lastValid else {
            throw ProbeError.invalidConfiguration("no epoch ran")
        }
        if let best { restore(head, best.parameters) }
        let test = try testScores(head: head, evaluator: evaluator)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        return ProbeRunResult(
            learningRate: configuration.learningRate, layer: configuration.layer,
            seed: configuration.seed, epochCount: epochCount, bestEpoch: bestEpoch,
            valid: bestValid, test: test, layerWeights: layerWeights(of: head),
            seconds: seconds)
    }

    /// The probe for this run's layer selection, freshly initialised.
    func makeHead(using generator: inout SplitMix64) throws -> ProbeHead {
        try ProbeHead(
            layer: configuration.layer, hiddenStateCount: features.hiddenStateCount,
            inputDimensions: features.dimensions, outputCount: features.task.kind.outputCount,
            architecture: configuration.architecture,
            layerWeightInitialization: configuration.layerWeightInitialization,
            using: &generator)
    }

    /// The evaluator of the task, with the DBN decoder at the features' frame rate for beats.
    func makeEvaluator() throws -> TaskEvaluator {
        var decoder: DBNBeatDecoder?
        if features.task.metric == .beatFMeasure, let framesPerSecond = features.framesPerSecond {
            decoder = try DBNBeatDecoder(
                configuration.beatDecoder ?? .init(framesPerSecond: framesPerSecond))
        }
        return try TaskEvaluator(
            task: features.task, degenerateLabelPolicy: configuration.degenerateLabelPolicy,
            beatDecoder: decoder)
    }

    /// Validation scores of the head as it is now; observes key fusion on the way.
    func validationScores(head: ProbeHead, evaluator: inout TaskEvaluator) throws -> TaskScores {
        let split = features.valid
        if features.task.kind == .beatTracking {
            return try evaluator.beatScores(
                items: split.items, activations: try head.beatActivations(for: split))
        }
        return try evaluator.validationScores(
            items: split.items,
            logits: try head.itemLogits(for: split, batchSize: configuration.batchSize))
    }

    /// Test scores of the head as it is now.
    func testScores(head: ProbeHead, evaluator: TaskEvaluator) throws -> TaskScores {
        let split = features.test
        if features.task.kind == .beatTracking {
            return try evaluator.beatScores(
                items: split.items, activations: try head.beatActivations(for: split))
        }
        return try evaluator.testScores(
            items: split.items,
            logits: try head.itemLogits(for: split, batchSize: configuration.batchSize))
    }

    /// Copies of the head's parameter values.
    private func snapshot(_ head: ProbeHead) -> [Tensor] {
        head.parameters.map { $0.value.copy() }
    }

    private func restore(_ head: ProbeHead, _ values: [Tensor]) {
        for (parameter, value) in zip(head.parameters, values) { parameter.value = value }
    }

    private func layerWeights(of head: ProbeHead) -> [ProbeRunResult.LayerWeight]? {
        head.layerWeights.map { weights in
            zip(head.hiddenStates, weights).map {
                ProbeRunResult.LayerWeight(layer: $0.0, weight: Double($0.1))
            }
        }
    }
}
