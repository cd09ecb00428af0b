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
///
/// Data-parallel: with a ``Communicator`` of N ranks, each rank trains on its rows of every
/// global batch (``CorpusBatches`` with `rows`), rank 0's parameters, teacher and optimizer
/// state are broadcast at the start (and after a resume), gradients are averaged over the ranks
/// after backward (``GradientAllReduce``), and every rank applies the same update; rank 0
/// alone locks the run directory and writes checkpoints, metrics and the loss curve, and only
/// it reports progress. Since rows draw their crops, masks and dropout by their place in the
/// global batch, N ranks of batch B train as one process of batch N·B does.
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
        /// Ranks of the job that wrote the checkpoint (absent in checkpoints before data
        /// parallelism: one).
        var ranks: Int?
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
        /// Seconds spent averaging gradients over ranks, all updates together (0 for one process).
        public var communicationSeconds: Double
    }

    /// The model being trained.
    public let model: MaskedPredictionModel
    /// Its optimizer.
    public let optimizer: any Optimizer
    /// Learning rate per update.
    public let schedule: any LearningRateSchedule
    /// The ranks of a data-parallel job; one process unless `mpirun` started several.
    public let communicator: any Communicator
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
    /// Called with each warning as it happens (a damaged checkpoint passed over, a changed rank
    /// count, dropped log lines); ``Summary/warnings`` lists them again at the end.
    public var onWarning: (String) -> Void = { _ in }

    /// Creates a trainer writing into `directory` (made if missing), one rank of `communicator`'s
    /// job.
    public init(
        model: MaskedPredictionModel, optimizer: any Optimizer, schedule: any LearningRateSchedule,
        data: any PretrainingBatchSource, options: Options, directory: URL,
        communicator: any Communicator = SingleProcessCommunicator()
    ) {
        self.communicator = communicator
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
        // Rank 0 locks the directory for the run, so a second trainer on it fails naming this process.
        let runDirectory = communicator.isRoot ? try RunDirectory(url: directory) : nil
        defer { runDirectory?.release() }
        var warnings: [String] = [] {
            didSet { for warning in warnings.dropFirst(oldValue.count) { onWarning(warning) } }
        }
        var step = 0
        var store: CheckpointStore?
        if let runDirectory {
            let rootStore = try runDirectory.checkpointStore(keepCount: options.keepCheckpoints)
            store = rootStore
            if resume {
                let search = try rootStore.latest()
                warnings += search.warnings
                if let checkpoint = search.checkpoint {
                    try checkConfiguration(in: runDirectory)
                    let restored = try restore(from: checkpoint)
                    step = restored.step
                    let ranks = restored.ranks ?? 1
                    if ranks != communicator.size {
                        warnings.append(
                            "the checkpoint of update \(step) was written by a job of \(ranks) rank(s), this one has "
                                + "\(communicator.size): the global batch changes from \(ranks) to \(communicator.size) × "
                                + "the per-rank batch, so the run goes on as another run, not as the one it resumes")
                    }
                }
            } else if let latest = try rootStore.steps().last {
                throw TrainingError.runExists(path: directory.path, latestStep: latest)
            }
            if step == 0, let configurationText { try runDirectory.writeConfiguration(configurationText) }
        }
        step = try synchronizeWithRoot(step: step)
        let resumedFrom = step
        let log = try runDirectory.map {
            try MetricsLog(url: $0.metricsURL, opening: resume ? .resuming(atStep: step) : .startingFresh)
        }
        warnings += log?.warnings ?? []
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
        var communicationSeconds = 0.0
        let parameters = model.parameters.filter(\.isTrainable)
        let allReduce = GradientAllReduce(parameters: parameters, communicator: communicator)
        let ranks = Double(communicator.size)
        model.setTraining(true)

        while step < options.steps {
            try model.prepare(forStep: step)
            model.zeroGradients()
            // [non-finite losses, loss sum, clips, metrics…], summed over ranks with the gradients.
            var lossSum = 0.0, clips = 0.0, nonFinite = 0.0
            var metrics: [String: Double] = [:]
            for micro in 0..<options.accumulationSteps {
                let index = step * options.accumulationSteps + micro
                var batch = try data.batch(at: index)
                try shard(&batch)
                var generator = SplitMix64(seed: options.seed, index: UInt64(index))
                let loss = try model.loss(for: batch, using: &generator)
                let value = Double(try loss.total.detached().item())
                clips += Double(batch.waveforms.shape[0])
                // A non-finite loss is not backpropagated; the update stops after the
                // gradients' all-reduce, on every rank alike. Its metrics are still summed, so
                // every rank sends the same statistics.
                if value.isFinite {
                    try (loss.total * (1 / Float(options.accumulationSteps))).backward()
                    lossSum += value
                } else {
                    nonFinite += 1
                }
                for (key, metric) in loss.metrics { metrics[key, default: 0] += metric / Double(options.accumulationSteps) }
                for (term, value) in loss.termLosses {
                    metrics["\(term)/loss", default: 0] += value / Double(options.accumulationSteps)
                }
                metrics["feature_penalty", default: 0] += loss.featurePenalty / Double(options.accumulationSteps)
            }
            let keys = metrics.keys.sorted()
            try checkSameStatistics(keys, step: step)
            var statistics = [nonFinite, lossSum, clips] + keys.map { metrics[$0]! }
            try allReduce.averageGradients(summing: &statistics)
            communicationSeconds += allReduce.lastSeconds
            guard statistics[0] == 0 else {
                // Named as progress, metrics and checkpoints number updates: from 1.
                throw TrainingError.nonFiniteLoss(step: step + 1, lastCheckpointStep: lastCheckpoint)
            }
            for (offset, key) in keys.enumerated() { metrics[key] = statistics[3 + offset] / ranks }
            if communicator.size > 1 { metrics["communication_seconds"] = allReduce.lastSeconds }
            clipsPerUpdate = statistics[2]
            intervalClips += Int(statistics[2])
            if options.clipNorm > 0 {
                metrics["gradient_norm"] = Double(try clipGradientNorm(of: parameters, maximumNorm: options.clipNorm))
            }
            let learningRate = schedule.learningRate(atStep: step)
            try optimizer.update(parameters, learningRate: learningRate)
            step += 1
            let loss = statistics[1] / ranks / Double(options.accumulationSteps)
            try checkCollapse(metrics, step: step)
            intervalUpdates += 1
            intervalLoss += loss
            for (key, value) in metrics { intervalMetrics[key, default: 0] += value }

            if step % options.logEvery == 0 || step == options.steps {
                let loss = intervalLoss / Double(intervalUpdates)
                let metrics = intervalMetrics.mapValues { $0 / Double(intervalUpdates) }
                let elapsed = Date().timeIntervalSince(intervalStart)
                let speed = elapsed > 0 ? Double(intervalClips) / elapsed : 0
                if let log {
                    try log.append(MetricsRecord(
                        step: step, loss: loss, learningRate: Double(learningRate), samplesPerSecond: speed,
                        time: Date().timeIntervalSince1970, values: metrics))
                    progress(TrainingProgress(
                        step: step, totalSteps: options.steps, loss: loss, learningRate: Double(learningRate),
                        samplesPerSecond: speed,
                        secondsLeft: speed > 0 ? Double(options.steps - step) * clipsPerUpdate / speed : 0,
                        metrics: metrics))
                }
                finalLoss = loss
                intervalStart = Date()
                intervalClips = 0
                intervalUpdates = 0
                intervalLoss = 0
                intervalMetrics = [:]
            }
            if step % options.checkpointEvery == 0 || step == options.steps {
                lastCheckpoint = step
                if let store, let log, let runDirectory {
                    let report = try save(step: step, to: store)
                    warnings += report.warnings
                    try LossCurveSVG(records: log.records, secondaryKey: accuracyKey(in: log.records))
                        .write(to: runDirectory.lossCurveURL)
                }
            }
        }
        if options.exportsEncoder, let runDirectory {
            try EncoderCheckpoint.save(
                model.encoderModel(), provenance: CheckpointProvenance(source: directory.path, format: "training"),
                to: runDirectory.encoderURL)
        }
        return Summary(
            steps: step, resumedFrom: resumedFrom, finalLoss: finalLoss, warnings: warnings,
            communicationSeconds: communicationSeconds)
    }

    /// Gives a batch of a job of several ranks its collective (the shard's minimum over ranks);
    /// refuses a batch without a shard there, which every rank would train on alike.
    private func shard(_ batch: inout PretrainingBatch) throws {
        guard communicator.size > 1 else { return }
        guard batch.shard != nil else { throw TrainingError.unshardedBatch(ranks: communicator.size) }
        let communicator = communicator
        batch.shard?.minimumAcrossShards = { try communicator.allReduceMinimum($0) }
    }

    /// Throws unless every rank reports the same metric names, which the statistics all-reduce
    /// sums position by position (a custom objective whose metrics depend on its batch would
    /// otherwise mix one rank's accuracy into another's loss). Two integer all-reduces.
    private func checkSameStatistics(_ keys: [String], step: Int) throws {
        guard communicator.size > 1 else { return }
        let digest = Int(truncatingIfNeeded: XXHash64.digest(Array(keys.joined(separator: "\n").utf8)) >> 1)
        guard try communicator.allReduceMinimum(digest) == communicator.allReduceMaximum(digest) else {
            throw CommunicatorError(
                operation: "metrics", rank: communicator.rank,
                message: "at update \(step + 1) the ranks report different metrics (this rank: \(keys)); an "
                    + "objective's metric names must not depend on its batch")
        }
    }

    /// Makes every rank start from rank 0's state: its update count, and every tensor a
    /// checkpoint holds (parameters, teacher, optimizer moments), freshly initialised or
    /// resumed. Returns the update count.
    private func synchronizeWithRoot(step: Int) throws -> Int {
        guard communicator.size > 1 else { return step }
        var count = [Double(step)]
        try count.withUnsafeMutableBytes { try communicator.broadcast($0, from: 0) }
        let tensors = try communicator.broadcast(communicator.isRoot ? checkpointTensors() : [:], from: 0)
        if !communicator.isRoot { try load(tensors, from: "rank 0") }
        return Int(count[0])
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
        try store.save(
            step: step, tensors: checkpointTensors(),
            trainerState: State(step: step, seed: options.seed, ranks: communicator.size))
    }

    /// Loads a checkpoint into the model, its targets and the optimizer; returns its trainer state.
    private func restore(from checkpoint: Checkpoint) throws -> State {
        let state = try checkpoint.decodeTrainerState(as: State.self)
        var tensors: [String: Tensor] = [:]
        for (name, _) in model.checkpointTensors {
            let key = name.hasPrefix("targets.") ? name : "model.\(name)"
            tensors[key] = try checkpoint.tensor(named: key)
        }
        for (name, tensor) in try checkpoint.tensors(withPrefix: "optimizer.") { tensors["optimizer.\(name)"] = tensor }
        try load(tensors, from: checkpoint.url.path)
        return state
    }

    /// Loads `tensors` (named as ``checkpointTensors()`` names them) into the model, its targets
    /// and the optimizer; `source` names where they came from in errors.
    private func load(_ tensors: [String: Tensor], from source: String) throws {
        for (name, parameter) in model.checkpointTensors {
            let key = name.hasPrefix("targets.") ? name : "model.\(name)"
            guard let value = tensors[key] else {
                throw CheckpointError(path: source, .invalidArgument("\(key) is missing"))
            }
            guard value.shape == parameter.shape else {
                throw CheckpointError(
                    path: source, .invalidArgument("\(key) has shape \(value.shape) but the model's is \(parameter.shape)"))
            }
            parameter.value = value
        }
        var optimizerState: [String: Tensor] = [:]
        for (key, tensor) in tensors where key.hasPrefix("optimizer.") {
            optimizerState[String(key.dropFirst("optimizer.".count))] = tensor
        }
        try optimizer.loadState(optimizerState, names: model.namedParameters())
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
