import ArgumentParser
import Foundation
import MusicSSLCore
import MusicSSLTrain

/// `msl pretrain`: MusicHuBERT or Music2vec pre-training from a YAML configuration.
struct Pretrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pre-train MusicHuBERT or Music2vec on a corpus (a YAML configuration, resumable).",
        discussion: """
            The configuration (see Examples/configs and Documentation/Pretraining.md) picks the \
            objective, the model size and every ablation knob; --set key=value overrides any \
            key (e.g. --set masking.probability=0.5), and unknown keys are refused with the \
            valid ones. MusicHuBERT needs frame labels from `msl kmeans fit` + `msl kmeans \
            label` on the same corpus (--labels); Music2vec needs none.

            The run directory (--out) receives config.yaml, checkpoints/ (every \
            run.checkpoint_every updates, written atomically, the last run.keep_checkpoints \
            kept), metrics.jsonl, loss_curve.svg and, at the end, encoder.safetensors (for \
            msl extract, msl convert and iteration-2 k-means). --resume continues from the \
            newest valid checkpoint exactly as if the run had never stopped, also after a \
            SIGKILL; without --resume a directory that holds checkpoints is refused.

            Data-parallel: `mpirun -np N msl pretrain …` trains on N processes (over Open MPI, \
            on one host or several); data.batch_size is per process, each update averages \
            the gradients of N × batch_size crops, and rank 0 writes the run directory. The \
            result equals one process with N times the batch (Documentation/Distributed.md).
            """)

    @Option(help: "The YAML configuration (default: the objective's reference defaults).")
    var config: String?

    @Option(help: "A folder of audio files or a fairseq .tsv manifest (overrides data.corpus).")
    var corpus: String?

    @Option(help: "MusicHuBERT's labels folder from msl kmeans label (overrides data.labels).")
    var labels: String?

    @Option(help: "The run directory (default: runs/<config name or objective>).")
    var out: String?

    @Flag(help: "Continue from the newest valid checkpoint in --out (the stored config.yaml unless --config).")
    var resume = false

    @Option(help: "Seed of parameters, masks, dropout and crops (overrides run.seed).")
    var seed: UInt64?

    @Option(name: .customLong("set"), help: "Override one key, key=value (repeatable).")
    var overrides: [String] = []

    func run() throws {
        let job = try DistributedJob.join()
        try job.run { try train(in: job) }
    }

    /// The run on one rank of `job` (the only one, without mpirun).
    private func train(in job: DistributedJob) throws {
        let communicator = job.communicator
        let runURL = URL(fileURLWithPath: out ?? "runs/\(defaultRunName)")
        let configuration = try loadConfiguration(runURL: runURL)
        guard let corpusPath = configuration.data.corpus else {
            throw ValidationError("No corpus: give --corpus DIR (or data.corpus in the configuration).")
        }
        // Rank 0 scans first and leaves the duration index the others then read.
        if !job.isRoot { try communicator.barrier() }
        var corpus = try ClusteringInputs.openCorpus(corpusPath, reports: job.isRoot)
        if job.isRoot && communicator.size > 1 { try communicator.barrier() }
        var labelSource: ClusterLabelSource?
        if configuration.objective == .musichubert {
            let labels = try musicHuBERTLabels(configuration, corpus: corpus, reports: job.isRoot)
            labelSource = labels.source
            corpus = corpus.excludingFiles(atPaths: Set(labels.unlabelled))
        }
        let setup = try PretrainingSetup(configuration: configuration, labels: labelSource)
        let data = try setup.batches(from: corpus, communicator: communicator)
        let origin = communicator.size > 1 ? " (\(communicator.rankDescription))" : ""
        data.onWarning = { ProgressBar.writeToStandardError("warning\(origin): \($0)\n") }
        defer { data.stop() }
        let trainer = setup.trainer(data: data, directory: runURL, communicator: communicator)
        trainer.configurationText = try ConfigurationLoader.yaml(for: configuration)
        trainer.onWarning = { ProgressBar.writeToStandardError("warning: \($0)\n") }

        let parameterCount = setup.model.parameters.filter(\.isTrainable).reduce(0) { $0 + $1.value.count }
        if job.isRoot {
            let batch = communicator.size > 1
                ? "\(communicator.size) ranks × \(configuration.data.batchSize)" : "\(configuration.data.batchSize)"
            ProgressBar.writeToStandardError(
                "\(configuration.objective.rawValue) \(configuration.model.architecture): "
                    + "\(parameterCount) parameters, \(configuration.optimization.steps) updates of "
                    + "\(batch) × \(configuration.data.cropSeconds) s crops → \(runURL.path)\n")
        }
        let display = TrainingDisplay(style: ProgressBar.standardErrorStyle())
        let summary: PretrainingTrainer.Summary
        do {
            defer { display.finish() }
            summary = try trainer.run(resume: resume, progress: display.show)
        }
        guard job.isRoot else { return }
        var report = summary.resumedFrom > 0 ? "resumed at update \(summary.resumedFrom); " : ""
        report += "trained \(summary.steps) updates"
        if let loss = summary.finalLoss { report += ", final loss \(TrainingProgressLine.significant(loss))" }
        print(report)
        print("run directory: \(runURL.path) (encoder.safetensors, checkpoints/, metrics.jsonl, loss_curve.svg)")
        if communicator.size > 1 {
            print(
                "\(communicator.size) ranks; averaging gradients took "
                    + "\(TrainingProgressLine.significant(summary.communicationSeconds)) s in all")
        }
    }

    /// The configuration stem, or the objective when there is no file.
    private var defaultRunName: String {
        guard let config else { return "pretrain" }
        return URL(fileURLWithPath: config).deletingPathExtension().lastPathComponent
    }

    /// The file's configuration with the flags applied; with --resume and no --config, the run
    /// directory's stored `config.yaml`.
    private func loadConfiguration(runURL: URL) throws -> PretrainingConfiguration {
        var all = overrides
        if let corpus { all.append("data.corpus=\(Self.quoted(corpus))") }
        if let labels { all.append("data.labels=\(Self.quoted(labels))") }
        if let seed { all.append("run.seed=\(seed)") }
        var url = config.map { URL(fileURLWithPath: $0) }
        if url == nil, resume {
            let stored = runURL.appendingPathComponent("config.yaml")
            if FileManager.default.fileExists(atPath: stored.path) { url = stored }
        }
        return try ConfigurationLoader.load(contentsOf: url, overrides: all)
    }

    /// A path as a YAML scalar (quoted, so `123` or `true` stay strings).
    private static func quoted(_ path: String) -> String {
        "'" + path.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// The labels folder checked against the configuration and the corpus, and the corpus files
    /// it has no labels for. A few such files — ones `msl kmeans label` skipped as damaged — are
    /// left out of training with a warning; a corpus mostly without labels (labels of another
    /// corpus) is refused.
    private func musicHuBERTLabels(
        _ configuration: PretrainingConfiguration, corpus: AudioCorpus, reports: Bool
    ) throws -> (source: ClusterLabelSource, unlabelled: [String]) {
        let hubert = configuration.hubert
        guard let path = configuration.data.labels else {
            let features = hubert.iteration == 1 ? "mfcc\(hubert.mfccDimensions)" : "checkpoint-layer --from-checkpoint RUN/encoder.safetensors --layer \(hubert.iterationLayer)"
            throw ValidationError(
                """
                MusicHuBERT needs k-means labels of the corpus (--labels DIR). Make them with:
                  msl kmeans fit --corpus \(configuration.data.corpus ?? "DIR") --features \(features) -k \(hubert.clusters) -o km.safetensors
                  msl kmeans label --model km.safetensors --corpus \(configuration.data.corpus ?? "DIR") -o labels
                """)
        }
        let labels = try PretrainingSetup.clusterLabels(at: URL(fileURLWithPath: path), for: configuration)
        let missing = labels.unlabelledPaths(among: corpus.files.map(\.path))
        let shown = missing.prefix(5).joined(separator: ", ")
        guard 2 * missing.count <= corpus.files.count else {
            throw ValidationError(
                "\(missing.count) of \(corpus.files.count) corpus files have no labels in \(path) "
                    + "(e.g. \(shown)); label this corpus with msl kmeans label.")
        }
        if !missing.isEmpty && reports {
            ProgressBar.writeToStandardError(
                "warning: \(missing.count) of \(corpus.files.count) corpus files have no labels in "
                    + "\(path) and are left out (e.g. \(shown)); msl kmeans label skips files that "
                    + "do not decode.\n")
        }
        return (labels, missing)
    }
}

/// The trainer's progress on standard error: one line redrawn in place on a terminal, one line
/// per report in a log.
final class TrainingDisplay {
    private let style: ProgressBar.Style
    private var drewInPlace = false

    init(style: ProgressBar.Style) {
        self.style = style
    }

    /// Shows one report.
    func show(_ progress: TrainingProgress) {
        let line = progress.progressLine.render()
        switch style {
        case .bar:
            ProgressBar.writeToStandardError("\r\u{1B}[K" + line)
            drewInPlace = true
        case .lines:
            ProgressBar.writeToStandardError(line + "\n")
        }
    }

    /// Ends the in-place line.
    func finish() {
        if drewInPlace { ProgressBar.writeToStandardError("\n") }
        drewInPlace = false
    }
}
