import Foundation

/// MARBLE's hyper-parameter sweep for one task and one model (probe-spec §1.5): every
/// learning rate × layer selection × seed trained by ``ProbeTrainer``, the configuration with
/// the best validation monitor selected by ``SweepResult/selected``.
///
/// The sweep is resumable: with a run directory, each finished run is written there
/// (``ProbeRunStore``) under its (learning rate, layer, seed) and a ``ProbeRunFingerprint`` of
/// the task, the features' identity and the training settings; a rerun loads those runs instead
/// of training them, and retrains any whose fingerprint differs.
///
/// ```swift
/// let sweep = ProbeSweep(
///     features: features, configuration: .init(training: template, hiddenStateCount: 13),
///     featuresIdentity: cacheHeaderDescription, runDirectory: runs)
/// let result = try sweep.run { progress in print("\(progress.runIndex)/\(progress.runCount)") }
/// print(result.selected?.learningRate, result.selected?.layer)
/// ```
public struct ProbeSweep {
    /// One finished (or loaded) run, reported as the sweep goes.
    public struct Progress {
        /// 1-based index of the run in the grid.
        public var runIndex: Int
        /// Runs in the grid.
        public var runCount: Int
        /// The run's result.
        public var result: ProbeRunResult
        /// True when the result was read from the run directory rather than trained.
        public var wasLoaded: Bool
    }

    /// The task's features.
    public let features: ProbeFeatureSet
    /// The grid and the shared training settings.
    public let configuration: ProbeSweepConfiguration
    /// Names the features (cache header, model, item-list hash); part of each run's fingerprint.
    public let featuresIdentity: String
    /// Where finished runs are kept; nil trains everything and keeps nothing.
    public let runDirectory: URL?

    /// Creates a sweep.
    public init(
        features: ProbeFeatureSet, configuration: ProbeSweepConfiguration,
        featuresIdentity: String, runDirectory: URL? = nil
    ) {
        self.features = features
        self.configuration = configuration
        self.featuresIdentity = featuresIdentity
        self.runDirectory = runDirectory
    }

    /// The fingerprint every run of this sweep is stored under.
    public var fingerprint: ProbeRunFingerprint {
        ProbeRunFingerprint(
            task: features.task, featuresIdentity: featuresIdentity,
            settings: configuration.training.settingsDescription)
    }

    /// The grid's training configurations, in run order: learning rates outermost, then
    /// layers, then seeds.
    public var runConfigurations: [ProbeTrainingConfiguration] {
        let layers =
            configuration.layers
            ?? LayerSelection.marbleSweep(hiddenStateCount: features.hiddenStateCount)
        var runs: [ProbeTrainingConfiguration] = []
        for learningRate in configuration.learningRates {
            for layer in layers {
                for seed in configuration.seeds {
                    var run = configuration.training
                    run.learningRate = learningRate
                    run.layer = layer
                    run.seed = seed
                    runs.append(run)
                }
            }
        }
        return runs
    }

    /// Trains (or loads) every run of the grid.
    ///
    /// - Parameter progress: Called after each run, in order.
    /// - Throws: ``ProbeError`` from a run or the run store.
    public func run(progress: (Progress) -> Void = { _ in }) throws -> SweepResult {
        let store = try runDirectory.map { try ProbeRunStore(directory: $0) }
        let fingerprint = self.fingerprint
        let runs = runConfigurations
        var results: [ProbeRunResult] = []
        for (index, run) in runs.enumerated() {
            var wasLoaded = false
            let result: ProbeRunResult
            if let stored = try store?.load(
                learningRate: run.learningRate, layer: run.layer, seed: run.seed,
                fingerprint: fingerprint)
            {
                result = stored
                wasLoaded = true
            } else {
                result = try ProbeTrainer(features: features, configuration: run).run()
                try store?.save(result, fingerprint: fingerprint)
            }
            results.append(result)
            progress(
                Progress(
                    runIndex: index + 1, runCount: runs.count, result: result,
                    wasLoaded: wasLoaded))
        }
        return SweepResult(task: features.task.name, metric: features.task.metric, runs: results)
    }
}
