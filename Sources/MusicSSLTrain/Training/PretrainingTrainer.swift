import Foundation
import MusicSSLCore

/// Trains a `MaskedPredictionModel`: per update, the target providers prepare (the EMA
/// teacher steps), micro-batches run forward and backward, gradients are clipped and the
/// optimizer applies the scheduled learning rate; metrics go to `metrics.jsonl` and
/// `loss_curve.svg`, checkpoints to `checkpoints/` every ``Options/checkpointEvery`` updates.
///
/// Every random draw of update n comes from `SplitMix64(seed:index:)` streams indexed by n, and
/// batch i from the ``PretrainingBatchSource`` depends only on i, so ``run(resume:progress:)``
/// with `resume: true` continues a killed run exactly: the checkpoint holds the parameters,
/// the optimizer's moments and step, the teacher and the update count, and nothing else varies.
public final class PretrainingTrainer {
    /// How long to train and what to keep.
    public struct Options: Codable, Equatable, Sendable {
        /// Updates to reach.
        public var steps: Int
        /// Micro-batches per update.
        public var accumulationSteps: Int = 1
        /// Global gradient-norm clip; 0 for none.
        public var clipNorm: Float = 0
        /// Updates between checkpoints (one is always written at the end).
        public var checkpointEvery: Int = 1000
        /// Checkpoints kept.
        public var keepCheckpoints: Int = 3
        /// Updates between metrics records and progress reports.
        public var logEvery: Int = 10
        /// Seeds masks, dropout and layer drop.
        public var seed: UInt64 = 0
        /// Write the trained encoder (`MaskedPredictionModel.encoderModel()`) to
        /// `encoder.safetensors` in the run directory when the run finishes.
        public var exportsEncoder = true
        /// data2vec's collapse guard: after this many updates, stop when the target variance
        /// falls below 0.1 or the prediction variance below 0.01; nil disables it.
        public var collapseGuardAfter: Int? = 5000

        /// Creates options for `steps` updates.
        public init(steps: Int) {
            self.steps = steps
        }
    }

    /// What the trainer keeps in a checkpoint besides tensors.
    struct State: Codable {
        var step: Int
        var seed: UInt64
    }

    /// What a finished (or resumed-and-finished) run reports.
    public struct Summary: Sendable {
        /// Updates done in total.
        public var steps: Int
        /// The update the run started from (0 for a fresh run).
        public var resumedFrom: Int
        /// The last logged loss.
        public var finalLoss: Double?
        /// Warnings met along the way (damaged checkpoints passed over, log lines dropped).
        public var warnings: [String]
    }

    /// The model being trained.
    public let model: MaskedPredictionModel
    /// Its optimizer.
    public let optimizer: any Optimizer
    /// Learning rate per update.
    public let schedule: any LearningRateSchedule
    /// Batches by index.
    public let data: any PretrainingBatchSource
    /// Run length, clipping, checkpointing.
    public let options: Options
    /// The run directory (checkpoints/, metrics.jsonl, loss_curve.svg, run.lock), locked while
    /// ``run(resume:progress:)`` runs.
    public let directory: URL
    /// The run's configuration as text (YAML), kept as `config.yaml`: written by a fresh run,
    /// compared with the stored one by a resumed run, which refuses to go on with another. Nil
    /// leaves `config.yaml` alone.
    public var configurationText: String?

    /// Creates a trainer writing into `directory` (made if missing).
    public init(
        model: MaskedPredictionModel, optimizer: any Optimizer, schedule: any LearningRateSchedule,
        data: any PretrainingBatchSource, options: Options, directory: URL
    ) {
        self.model = model
        self.optimizer = optimizer
        self.schedule = schedule
        self.data = data
        self.options = options
        self.directory = directory
    }

    /// The checkpoint store of the run.
    public func checkpointStore() throws -> CheckpointStore {
        try CheckpointStore(
            directory: directory.appendingPathComponent("checkpoints"), keepCount: options.keepCheckpoints)
    }

    /// Trains until ``Options/steps`` updates are done.
    ///
    /// - Parameters:
    ///   - resume: continue from the newest valid checkpoint in the run directory (a fresh
    ///     start when there is none); otherwise start from the model's current weights.
    ///   - progress: called after each logged update.
    /// - Throws: ``TrainingError`` for a non-finite loss or a collapse (the last good checkpoint
    ///   stays), checkpoint and log errors, and the model's errors.
    @discardableResult
    public func run(resume: Bool, progress: (TrainingProgress) -> Void = { _ in }) throws -> Summary {
        // Locks the directory for the run, so a second trainer on it fails naming this process.
        let runDirectory = try RunDirectory(url: directory)
        defer { runDirectory.release() }
        let store = try runDirectory.checkpointStore(keepCount: options.keepCheckpoints)
        var warnings: [String] = []
        var step = 0
        if resume {
            let search = try store.latest()
            warnings += search.warnings
            if let checkpoint = search.checkpoint {
                try checkConfiguration(in: runDirectory)
                step = try restore(from: checkpoint)
            }
        } else if let latest = try store.steps().last {
            throw TrainingError.runExists(path: directory.path, latestStep: latest)
        }
        if step == 0, let configurationText { try runDirectory.writeConfiguration(configurationText) }
        let resumedFrom = step
        let log = try MetricsLog(
            url: runDirectory.metricsURL,
            opening: resume ? .resuming(atStep: step) : .startingFresh)
        warnings += log.warnings
        var lastCheckpoint: Int? = resume && step > 0 ? step : nil
        var finalLoss: Double?
        var intervalStart = Date()
        var intervalClips = 0
        // Losses and metrics are averaged over the updates of each logging interval, as
        // fairseq's log_interval does: one update's value is noise on small batches.
        var intervalUpdates = 0
        var intervalLoss = 0.0
        var intervalMetrics: [String: Double] = [:]
        var clipsPerUpdate = 0.0
        let parameters = model.parameters.filter(\.isTrainable)
        model.setTraining(true)

        while step < options.steps {
            try model.prepare(forStep: step)
            model.zeroGradients()
            var lossSum = 0.0
            clipsPerUpdate = 0
            var metrics: [String: Double] = [:]
            for micro in 0..<options.accumulationSteps {
                let index = step * options.accumulationSteps + micro
                let batch = try data.batch(at: index)
                var generator = SplitMix64(seed: options.seed, index: UInt64(index))
                let loss = try model.loss(for: batch, using: &generator)
                let value = Double(try loss.total.detached().item())
                guard value.isFinite else {
                    throw TrainingError.nonFiniteLoss(step: step, lastCheckpointStep: lastCheckpoint)
                }
                try (loss.total * (1 / Float(options.accumulationSteps))).backward()
                lossSum += value
                intervalClips += batch.waveforms.shape[0]
                clipsPerUpdate += Double(batch.waveforms.shape[0])
                for (key, metric) in loss.metrics { metrics[key, default: 0] += metric / Double(options.accumulationSteps) }
                for (term, value) in loss.termLosses {
                    metrics["\(term)/loss", default: 0] += value / Double(options.accumulationSteps)
                }
                metrics["feature_penalty", default: 0] += loss.featurePenalty / Double(options.accumulationSteps)
            }
            if options.clipNorm > 0 {
                metrics["gradient_norm"] = Double(try clipGradientNorm(of: parameters, maximumNorm: options.clipNorm))
            }
            let learningRate = schedule.learningRate(atStep: step)
            try optimizer.update(parameters, learningRate: learningRate)
            step += 1
            let loss = lossSum / Double(options.accumulationSteps)
            try checkCollapse(metrics, step: step)
            intervalUpdates += 1
            intervalLoss += loss
            for (key, value) in metrics { intervalMetrics[key, default: 0] += value }

            if step % options.logEvery == 0 || step == options.steps {
                let loss = intervalLoss / Double(intervalUpdates)
                let metrics = intervalMetrics.mapValues { $0 / Double(intervalUpdates) }
                let elapsed = Date().timeIntervalSince(intervalStart)
                let speed = elapsed > 0 ? Double(intervalClips) / elapsed : 0
                try log.append(MetricsRecord(
                    step: step, loss: loss, learningRate: Double(learningRate), samplesPerSecond: speed,
                    time: Date().timeIntervalSince1970, values: metrics))
                progress(TrainingProgress(
                    step: step, totalSteps: options.steps, loss: loss, learningRate: Double(learningRate),
                    samplesPerSecond: speed,
                    secondsLeft: speed > 0 ? Double(options.steps - step) * clipsPerUpdate / speed : 0,
                    metrics: metrics))
                finalLoss = loss
                intervalStart = Date()
                intervalClips = 0
                intervalUpdates = 0
                intervalLoss = 0
                intervalMetrics = [:]
            }
            if step % options.checkpointEvery == 0 || step == options.steps {
                let report = try save(step: step, to: store)
                warnings += report.warnings
                lastCheckpoint = step
                try LossCurveSVG(records: log.records, secondaryKey: accuracyKey(in: log.records))
                    .write(to: runDirectory.lossCurveURL)
            }
        }
        if options.exportsEncoder {
            try EncoderCheckpoint.save(
                model.encoderModel(), provenance: CheckpointProvenance(source: directory.path, format: "training"),
                to: runDirectory.encoderURL)
        }
        return Summary(steps: step, resumedFrom: resumedFrom, finalLoss: finalLoss, warnings: warnings)
    }

    /// Throws when the run directory's stored configuration is not ``configurationText``.
    private func checkConfiguration(in runDirectory: RunDirectory) throws {
        guard let configurationText, let stored = try runDirectory.storedConfiguration(),
            stored != configurationText
        else { return }
        let old = stored.split(separator: "\n", omittingEmptySubsequences: false)
        let new = configurationText.split(separator: "\n", omittingEmptySubsequences: false)
        var differences: [String] = []
        for index in 0..<Swift.max(old.count, new.count) {
            let before = index < old.count ? String(old[index]) : ""
            let after = index < new.count ? String(new[index]) : ""
            if before != after {
                differences.append("\(before.trimmingCharacters(in: .whitespaces)) → \(after.trimmingCharacters(in: .whitespaces))")
            }
        }
        throw TrainingError.configurationChanged(path: runDirectory.configurationURL.path, differences: differences)
    }

    /// The tensors a checkpoint holds: `model.…`, `targets.…` (a teacher) and `optimizer.…`.
    func checkpointTensors() throws -> [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        for (name, parameter) in model.namedParameters() { tensors["model.\(name)"] = parameter.value }
        for (name, parameter) in model.checkpointTensors where name.hasPrefix("targets.") {
            tensors[name] = parameter.value
        }
        for (name, tensor) in try optimizer.stateTensors(names: model.namedParameters()) {
            tensors["optimizer.\(name)"] = tensor
        }
        return tensors
    }

    private func save(step: Int, to store: CheckpointStore) throws -> CheckpointStore.SaveReport {
        try store.save(step: step, tensors: checkpointTensors(), trainerState: State(step: step, seed: options.seed))
    }

    /// Loads a checkpoint into the model, its targets and the optimizer; returns its update count.
    private func restore(from checkpoint: Checkpoint) throws -> Int {
        let state = try checkpoint.decodeTrainerState(as: State.self)
        for (name, parameter) in model.checkpointTensors {
            let key = name.hasPrefix("targets.") ? name : "model.\(name)"
            let value = try checkpoint.tensor(named: key)
            guard value.shape == parameter.shape else {
                throw CheckpointError(
                    path: checkpoint.url.path,
                    .invalidArgument("\(key) has shape \(value.shape) but the model's is \(parameter.shape)"))
            }
            parameter.value = value
        }
        try optimizer.loadState(checkpoint.tensors(withPrefix: "optimizer."), names: model.namedParameters())
        return state.step
    }

    private func checkCollapse(_ metrics: [String: Double], step: Int) throws {
        guard let after = options.collapseGuardAfter, step > after else { return }
        for (key, value) in metrics {
            if key.hasSuffix("/target_variance"), value < 0.1 {
                throw TrainingError.collapsed(step: step, monitor: key, value: value, floor: 0.1)
            }
            if key.hasSuffix("/prediction_variance"), value < 0.01 {
                throw TrainingError.collapsed(step: step, monitor: key, value: value, floor: 0.01)
            }
        }
    }

    private func accuracyKey(in records: [MetricsRecord]) -> String? {
        records.last?.values.keys.sorted().first { $0.hasSuffix("/masked_accuracy") }
    }
}
