import ArgumentParser
import Foundation

/// What `msl demo` runs: a list of ordinary `msl` command lines over one output folder, each
/// with the file that shows it already ran, so an interrupted demo continues where it stopped
/// and a user can copy every step.
///
/// Folder layout: `synth/` (the suite from `msl synth`: `corpus/`, `tasks/<task>/manifest.csv`),
/// `configs/` (the two pre-training configurations), `kmeans/` (the k-means model and frame
/// labels), `runs/musichubert/` and `runs/music2vec/` (pre-training runs), `report/` (the
/// Table-1 report of `msl benchmark`: report.md, table.csv, grid.csv, plots/), and `demo.txt`
/// (the settings, so a rerun with other ones is refused rather than mixed with old results).
struct DemoPlan {
    /// One step: a title, the `msl` arguments, and the file whose presence means it is done.
    struct Step {
        var title: String
        var arguments: [String]
        /// nil: always run (the command resumes by itself).
        var completion: URL?

        /// Whether the step's result is already there.
        var isDone: Bool {
            completion.map { FileManager.default.fileExists(atPath: $0.path) } ?? false
        }

        /// The command line as a user would type it.
        var commandLine: String {
            (["msl"] + arguments).map(Self.shellQuoted).joined(separator: " ")
        }

        private static func shellQuoted(_ word: String) -> String {
            let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=,:+".contains($0) }
            return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
    }

    /// The sizes of a run.
    struct Budget {
        /// Pre-training updates per model.
        var pretrainingSteps: Int
        /// k-means clusters of MusicHuBERT's labels.
        var clusters: Int
        /// Epoch limit of every probe.
        var probeEpochs: Int
        /// Learning rates of the probe grid.
        var learningRates: String
        /// Extra `msl synth` arguments (suite size).
        var synthArguments: [String]

        /// The default: fits 15 minutes on 2 cores with the build.
        static let standard = Budget(
            pretrainingSteps: 250, clusters: 50, probeEpochs: 30, learningRates: "5e-3",
            synthArguments: [
                "--clip-seconds", "key=6", "--clip-seconds", "tempo=6", "--clip-seconds", "beat=6",
            ])

        /// A smoke run of a minute or two: a small suite, few updates and epochs.
        static let quick = Budget(
            pretrainingSteps: 6, clusters: 8, probeEpochs: 3, learningRates: "1e-3",
            synthArguments: [
                "--train-items", "8", "--valid-items", "4", "--test-items", "4",
                "--corpus-files", "4", "--corpus-seconds", "4", "--clip-seconds", "key=4",
                "--clip-seconds", "tempo=4", "--clip-seconds", "beat=4",
            ])
    }

    /// The synthetic tasks the report probes, in table order.
    static let tasks = ["pitch", "instrument", "chord", "key", "tempo", "beat"]

    var output: URL
    /// The user's music folder to pre-train on; nil for the synthetic corpus.
    var corpus: URL?
    var seed: UInt64
    var budget: Budget
    /// `--set key=value` overrides for both pre-training runs.
    var overrides: [String]

    var synthFolder: URL { output.appendingPathComponent("synth") }
    var corpusFolder: URL { corpus ?? synthFolder.appendingPathComponent("corpus") }
    var configFolder: URL { output.appendingPathComponent("configs") }
    var kMeansModel: URL { output.appendingPathComponent("kmeans/mfcc39.safetensors") }
    var labelsFolder: URL { output.appendingPathComponent("kmeans/labels") }
    var reportFolder: URL { output.appendingPathComponent("report") }

    /// A pre-training run's folder.
    func runFolder(_ name: String) -> URL { output.appendingPathComponent("runs/\(name)") }

    /// A task's manifest in the suite.
    func manifest(_ task: String) -> URL {
        synthFolder.appendingPathComponent("tasks/\(task)/manifest.csv")
    }

    /// The configuration file of a pre-training run.
    func configuration(_ name: String) -> URL {
        configFolder.appendingPathComponent("\(name).yaml")
    }

    /// `demo.txt` in the folder: the settings its results were made with.
    var settingsFile: URL { output.appendingPathComponent("demo.txt") }

    /// The settings that shape the results, one `key: value` per line.
    var settingsText: String {
        """
        corpus: \(corpus?.path ?? "synthetic")
        seed: \(seed)
        pretraining steps: \(budget.pretrainingSteps)
        suite: \(budget.synthArguments.joined(separator: " "))
        overrides: \(overrides.joined(separator: " "))

        """
    }

    /// Records the settings in a new folder, or checks that a folder's results were made with
    /// these settings, since finished steps are not run again.
    ///
    /// - Throws: `ValidationError` naming both settings when the folder holds another run.
    func claimFolder() throws {
        if let recorded = try? String(contentsOf: settingsFile, encoding: .utf8) {
            guard recorded == settingsText else {
                throw ValidationError(
                    "\(output.path) holds a demo made with other settings:\n\(recorded)"
                        + "this run has:\n\(settingsText)"
                        + "Give another folder with -o, or remove this one to start over.")
            }
            return
        }
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data(settingsText.utf8).write(to: settingsFile, options: .atomic)
    }

    /// Writes the two pre-training configurations (always: they carry the budget).
    func writeConfigurations() throws {
        try FileManager.default.createDirectory(at: configFolder, withIntermediateDirectories: true)
        try DemoConfigurations.musicHuBERT(
            steps: budget.pretrainingSteps, clusters: budget.clusters, seed: seed
        ).write(to: configuration("musichubert"), atomically: true, encoding: .utf8)
        try DemoConfigurations.music2vec(steps: budget.pretrainingSteps, seed: seed)
            .write(to: configuration("music2vec"), atomically: true, encoding: .utf8)
    }

    /// The steps, in order.
    var steps: [Step] {
        let corpus = corpusFolder.path
        var steps = [
            Step(
                title: self.corpus == nil
                    ? "synthesise the labelled tasks and the unlabelled corpus"
                    : "synthesise the labelled tasks (the corpus is \(corpusFolder.path))",
                arguments: ["synth", "-o", synthFolder.path, "--seed", "\(seed)"]
                    + budget.synthArguments + (self.corpus == nil ? [] : ["--corpus-files", "0"]),
                completion: synthFolder.appendingPathComponent("suite.json")),
            Step(
                title: "fit k-means (K = \(budget.clusters)) on the corpus's MFCC-39 frames",
                arguments: [
                    "kmeans", "fit", "--corpus", corpus, "--features", "mfcc39",
                    "-k", "\(budget.clusters)", "--seed", "\(seed)", "-o", kMeansModel.path,
                ],
                completion: kMeansModel),
            Step(
                title: "label every corpus frame with its nearest centre",
                arguments: [
                    "kmeans", "label", "--model", kMeansModel.path, "--corpus", corpus,
                    "-o", labelsFolder.path,
                ],
                completion: runFolder("musichubert").appendingPathComponent("encoder.safetensors")),
        ]
        for (name, title) in [
            ("musichubert", "pre-train tiny MusicHuBERT (masked prediction of the cluster ids)"),
            ("music2vec", "pre-train tiny Music2vec (masked regression of an EMA teacher)"),
        ] {
            let run = runFolder(name)
            var arguments = [
                "pretrain", "--config", configuration(name).path, "--corpus", corpus,
                "--out", run.path,
            ]
            if name == "musichubert" { arguments += ["--labels", labelsFolder.path] }
            if Self.hasCheckpoints(run) { arguments.append("--resume") }
            for override in overrides { arguments += ["--set", override] }
            steps.append(
                Step(
                    title: title, arguments: arguments,
                    completion: run.appendingPathComponent("encoder.safetensors")))
        }
        var benchmark = [
            "benchmark", "--checkpoints",
            runFolder("musichubert").appendingPathComponent("encoder.safetensors").path,
            runFolder("music2vec").appendingPathComponent("encoder.safetensors").path,
            "--names", "MusicHuBERT", "Music2vec", "--random-baseline", "--mfcc-baseline",
        ]
        for task in Self.tasks { benchmark += ["--csv", "\(task)=\(manifest(task).path)"] }
        benchmark += [
            "-o", reportFolder.path, "--learning-rates", budget.learningRates,
            "--max-epochs", "\(budget.probeEpochs)", "--batch-size", "32",
        ]
        steps.append(
            Step(
                title: "probe both models and the two baselines on every task (Table 1)",
                arguments: benchmark, completion: nil))
        return steps
    }

    /// Whether a run folder holds checkpoints (an interrupted run to resume).
    static func hasCheckpoints(_ run: URL) -> Bool {
        let folder = run.appendingPathComponent("checkpoints")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return !names.isEmpty
    }
}
