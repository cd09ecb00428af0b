import Foundation
import MusicSSLCore
import MusicSSLProbe

/// What `msl probe` and `msl benchmark` share: probing checkpoints on tasks into one report
/// folder, with progress on standard error, resuming from the folder's cache and runs.
///
/// Folder layout: `report.md`, `table.csv`, `grid.csv`, `plots/` (``ProbeReportWriter``);
/// `cache/<model fingerprint>/<data set>/` the features; `runs/<model>/<task>/` the finished
/// probe runs. A second invocation with the same folder reuses both and trains only what is
/// missing.
struct ProbeSession {
    /// A checkpoint and its row name.
    struct Checkpoint {
        var path: String
        var name: String
    }

    /// One row of the report: a checkpoint's encoder, a freshly initialised encoder of a
    /// checkpoint's architecture, or the MFCC-statistics baseline.
    enum Row {
        case checkpoint(Checkpoint)
        /// The architecture of the checkpoint at `path`, with fairseq's pre-training
        /// initialisation from `seed` and no training: what pre-training starts from.
        case randomInitialization(architectureOf: String, seed: UInt64, name: String)
        case mfccStatistics(name: String)

        /// The row's name in the report.
        var name: String {
            switch self {
            case .checkpoint(let checkpoint): checkpoint.name
            case .randomInitialization(_, _, let name), .mfccStatistics(let name): name
            }
        }
    }

    /// A task and the folder its features are cached under (shared by tasks over one data set).
    struct Task {
        var task: ProbeTask
        var title: String
        var dataSetKey: String
    }

    let output: URL
    let sweep: ProbeSweepConfiguration
    let maximumEpochs: Int?

    /// The row name of a checkpoint path: its file name without extension, or its folder's
    /// name for a folder or a run directory's `encoder.safetensors`.
    static func defaultName(for path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        {
            return url.lastPathComponent
        }
        let stem = url.deletingPathExtension().lastPathComponent
        if ["encoder", "model", "pytorch_model", "checkpoint_best", "checkpoint_last"].contains(
            stem)
        {
            return url.deletingLastPathComponent().lastPathComponent
        }
        return stem
    }

    /// Probes every checkpoint on every task, rewriting the report after each pair; returns the
    /// report.
    func run(checkpoints: [Checkpoint], tasks: [Task], preamble: String) throws -> ProbeReport {
        try run(rows: checkpoints.map(Row.checkpoint), tasks: tasks, preamble: preamble)
    }

    /// Probes every row on every task, rewriting the report after each pair; returns the report.
    func run(rows: [Row], tasks: [Task], preamble: String) throws -> ProbeReport {
        var report = ProbeReport(tasks: tasks.map { ReportTask($0.task, title: $0.title) })
        let writer = { (report: ProbeReport) in
            try ProbeReportWriter(report: report, preamble: preamble).write(to: output)
        }
        for row in rows {
            let probeTask: (Task) throws -> SweepResult
            switch row {
            case .checkpoint(let checkpoint):
                let model = try EncoderCheckpoint.importEncoder(
                    from: URL(fileURLWithPath: checkpoint.path)
                ).model
                let fingerprint = String(try EncoderFingerprint.of(model).prefix(16))
                ProgressBar.writeToStandardError(
                    "\(checkpoint.name): \(checkpoint.path) (\(model.configuration.layerCount) layers, "
                        + "\(model.configuration.modelDimensions) wide, fingerprint \(fingerprint))\n")
                probeTask = { entry in
                    try probe(
                        model: model, fingerprint: fingerprint, name: checkpoint.name, task: entry
                    ).sweep
                }
            case .randomInitialization(let path, let seed, let name):
                let model = try Self.randomlyInitialized(architectureOf: path, seed: seed)
                let fingerprint = String(try EncoderFingerprint.of(model).prefix(16))
                ProgressBar.writeToStandardError(
                    "\(name): \(path)'s architecture, randomly initialised (seed \(seed), "
                        + "fingerprint \(fingerprint))\n")
                probeTask = { entry in
                    try probe(model: model, fingerprint: fingerprint, name: name, task: entry).sweep
                }
            case .mfccStatistics(let name):
                let baseline = try MFCCStatisticsFeatures()
                ProgressBar.writeToStandardError(
                    "\(name): MFCC-\(baseline.frameDimensions) statistics (no model)\n")
                probeTask = { entry in try probe(baseline: baseline, name: name, task: entry) }
            }
            for entry in tasks {
                let sweep = try probeTask(entry)
                report.add(sweep, model: row.name)
                try writer(report)
                if let selected = sweep.selected {
                    let columns = ReportTask(entry.task, title: entry.title).columns
                    let scores = columns.map { column in
                        "\(column.title) \(selected.meanTest(column.score).map(ProbeReport.percent) ?? "–")"
                    }
                    ProgressBar.writeToStandardError(
                        "\(row.name) on \(entry.task.name): "
                            + "layer \(selected.layer), lr \(selected.learningRate) → "
                            + scores.joined(separator: ", ")
                            + "\n")
                }
            }
        }
        try writer(report)
        return report
    }

    /// An encoder of the architecture of the checkpoint at `path`, initialised as pre-training
    /// initialises it (``PretrainingInitialization``), in evaluation mode.
    static func randomlyInitialized(architectureOf path: String, seed: UInt64) throws -> EncoderModel {
        let configuration = try EncoderCheckpoint.importEncoder(from: URL(fileURLWithPath: path))
            .model.configuration
        var generator = SplitMix64(seed: seed)
        let model = try EncoderModel(configuration: configuration, using: &generator)
        PretrainingInitialization.initialize(model.featureExtractor, using: &generator)
        PretrainingInitialization.initialize(model.encoder, using: &generator)
        model.setTraining(false)
        return model
    }

    /// The baseline's features computed (in memory, no cache) and swept.
    private func probe(baseline: MFCCStatisticsFeatures, name: String, task entry: Task) throws
        -> SweepResult
    {
        let task = entry.task
        let extraction = ProgressBar(label: "MFCC \(task.name)", total: task.items.count)
        let (features, failed) = try baseline.featureSet(for: task) { event in
            extraction.advance(isFailure: event.failure != nil)
        }
        extraction.finish()
        for failure in failed.prefix(10) {
            ProgressBar.writeToStandardError("warning: skipped \(failure.id): \(failure.reason)\n")
        }
        var bar: ProgressBar?
        let result = try ProbeSweep(
            features: features,
            configuration: sweep.scheduled(for: task, maximumEpochs: maximumEpochs),
            featuresIdentity: baseline.identity(of: features),
            runDirectory: output.appendingPathComponent(
                "runs/\(Self.pathSafe(name))/\(task.name)")
        ).run { progress in
            if bar == nil { bar = ProgressBar(label: "probe \(task.name)", total: progress.runCount) }
            bar?.advance()
        }
        bar?.finish()
        return result
    }

    private func probe(
        model: EncoderModel, fingerprint: String, name: String, task entry: Task
    ) throws -> ProbePipeline.Outcome {
        let task = entry.task
        let pipeline = self.pipeline(model: model, fingerprint: fingerprint, name: name, task: entry)
        let extraction = ProgressBar(label: "features \(task.name)", total: task.items.count)
        var grid: ProgressBar?
        var failures: [String] = []
        let outcome = try pipeline.run(task) { event in
            switch event {
            case .extraction(let item):
                extraction.advance(isFailure: item.failure != nil)
                if let failure = item.failure { failures.append(failure) }
            case .featuresReady:
                extraction.finish()
                for failure in failures.prefix(10) {
                    ProgressBar.writeToStandardError("warning: skipped \(failure)\n")
                }
                if failures.count > 10 {
                    ProgressBar.writeToStandardError(
                        "warning: … and \(failures.count - 10) more items skipped\n")
                }
            case .sweep(let progress):
                if grid == nil {
                    grid = ProgressBar(label: "probe \(task.name)", total: progress.runCount)
                }
                grid?.advance()
            }
        }
        grid?.finish()
        return outcome
    }

    /// The pipeline probing `model` (row `name`) on `entry`: its features cached under
    /// `cache/<fingerprint>/<data set>/`, its runs kept under `runs/<name>/<task>/`.
    func pipeline(model: EncoderModel, fingerprint: String, name: String, task entry: Task) -> ProbePipeline {
        var pipeline = ProbePipeline(
            model: model,
            cacheDirectory: output.appendingPathComponent(
                "cache/\(fingerprint)/\(entry.dataSetKey)"),
            runDirectory: output.appendingPathComponent(
                "runs/\(Self.pathSafe(name))/\(entry.task.name)"),
            sweep: sweep)
        pipeline.maximumEpochs = maximumEpochs
        return pipeline
    }

    /// `name` with path separators replaced, for a folder name.
    static func pathSafe(_ name: String) -> String {
        String(name.map { $0 == "/" || $0 == "\\" || $0 == ":" ? "_" : $0 })
    }
}
