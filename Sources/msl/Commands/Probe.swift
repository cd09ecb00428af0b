import ArgumentParser
import Foundation
import MusicSSLProbe

/// `msl probe`: one checkpoint on one task, MARBLE's protocol, with a report.
struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe a checkpoint's frozen features on one task and write a report.",
        discussion: """
            Either a named task read from its data set as distributed (--task gtzan-genre \
            --data /path/to/GTZAN; see Documentation/Probing.md for each layout) or your own \
            labelled audio from CSV manifests (--manifest my.csv, with a split column, or \
            --manifest train.csv --valid-manifest valid.csv --test-manifest test.csv).

            Features are extracted once (MARBLE: mono, model rate, whole-file z-normalisation, \
            30 s windows, every hidden state mean-pooled; frames for beat tracking) into \
            <output>/cache, then the probe grid (learning rates × layers × seeds) is trained \
            with early stopping and the configuration with the best validation score is \
            tested. <output> receives report.md, table.csv, grid.csv and plots/. Running the \
            same command again resumes: cached features and finished runs are reused.
            """)

    @Option(help: "A named task: \(NamedTask.allCases.map(\.rawValue).joined(separator: ", ")).")
    var task: String?

    @Option(help: "The named task's data set folder, e.g. /data/GTZAN.")
    var data: String?

    @OptionGroup(title: "Your own data (CSV)")
    var csv: CSVTaskOptions

    @Option(
        help:
            "The checkpoint: a MusicSSL encoder.safetensors, a HuggingFace directory, pytorch_model.bin or a fairseq .pt."
    )
    var checkpoint: String

    @Option(help: "The checkpoint's name in the report (default: from its path).")
    var modelName: String?

    @Option(name: .shortAndLong, help: "The report folder (default: probe-<task>).")
    var output: String?

    @OptionGroup(title: "Probe grid")
    var sweep: SweepOptions

    func validate() throws {
        switch (task, csv.manifest) {
        case (nil, nil): throw ValidationError("Give --task NAME --data DIR, or --manifest CSV.")
        case (.some, .some): throw ValidationError("Give either --task or --manifest, not both.")
        case (.some, nil):
            guard data != nil else {
                throw ValidationError("--task needs --data, the data set's folder.")
            }
        case (nil, .some): break
        }
    }

    func run() throws {
        let entry: ProbeSession.Task
        if let task, let data {
            entry = try TaskSelection.named(task, root: URL(fileURLWithPath: data))
        } else {
            entry = try csv.task()
        }
        let counts = DataSplit.allCases.map { "\(entry.task.items(in: $0).count) \($0.rawValue)" }
        ProgressBar.writeToStandardError(
            "\(entry.task.name): \(counts.joined(separator: ", ")) items\n")
        let folder = URL(
            fileURLWithPath: output ?? "probe-\(ProbeSession.pathSafe(entry.task.name))")
        let session = ProbeSession(
            output: folder, sweep: try sweep.configuration(), maximumEpochs: sweep.maxEpochs)
        let name = modelName ?? ProbeSession.defaultName(for: checkpoint)
        let report = try session.run(
            checkpoints: [.init(path: checkpoint, name: name)], tasks: [entry],
            preamble: "`msl probe` of \(name) (`\(checkpoint)`) on \(entry.task.name).")
        print(report.markdownTable(), terminator: "")
        print("report: \(folder.appendingPathComponent("report.md").path)")
    }
}
