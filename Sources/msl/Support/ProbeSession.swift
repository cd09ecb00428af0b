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
        var report = ProbeReport(tasks: tasks.map { ReportTask($0.task, title: $0.title) })
        let writer = { (report: ProbeReport) in
            try ProbeReportWriter(report: report, preamble: preamble).write(to: output)
        }
        for checkpoint in checkpoints {
            let model = try EncoderCheckpoint.importEncoder(
                from: URL(fileURLWithPath: checkpoint.path)
            ).model
            let fingerprint = String(try EncoderFingerprint.of(model).prefix(16))
            ProgressBar.writeToStandardError(
                "\(checkpoint.name): \(checkpoint.path) (\(model.configuration.layerCount) layers, "
                    + "\(model.configuration.modelDimensions) wide, fingerprint \(fingerprint))\n")
            for entry in tasks {
                let outcome = try probe(
                    model: model, fingerprint: fingerprint, checkpoint: checkpoint, task: entry)
                report.add(outcome.sweep, model: checkpoint.name)
                try writer(report)
                if let selected = outcome.sweep.selected {
                    let columns = ReportTask(entry.task, title: entry.title).columns
                    let scores = columns.map { column in
                        "\(column.title) \(selected.meanTest(column.score).map(ProbeReport.percent) ?? "–")"
                    }
                    ProgressBar.writeToStandardError(
                        "\(checkpoint.name) on \(entry.task.name): "
                            + "layer \(selected.layer), lr \(selected.learningRate) → "
                            + scores.joined(separator: ", ")
                            + "\n")
                }
            }
        }
        try writer(report)
        return report
    }

    private func probe(
        model: EncoderModel, fingerprint: String, checkpoint: Checkpoint, task entry: Task
    ) throws -> ProbePipeline.Outcome {
        let task = entry.task
        var pipeline = ProbePipeline(
            model: model,
            cacheDirectory: output.appendingPathComponent(
                "cache/\(fingerprint)/\(entry.dataSetKey)"),
            runDirectory: output.appendingPathComponent(
                "runs/\(Self.pathSafe(checkpoint.name))/\(task.name)"),
            sweep: sweep)
        pipeline.maximumEpochs = maximumEpochs
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

    /// `name` with path separators replaced, for a folder name.
    static func pathSafe(_ name: String) -> String {
        String(name.map { $0 == "/" || $0 == "\\" || $0 == ":" ? "_" : $0 })
    }
}
