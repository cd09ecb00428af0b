import ArgumentParser
import Foundation
import MusicSSLProbe
import MusicSSLTrain

/// `msl benchmark`: several checkpoints on several tasks, one Table-1 report.
struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Probe several checkpoints on several tasks and write a Table-1 style report.",
        discussion: """
            For every checkpoint and task: extract the features once, train the probe grid, \
            select on validation, test. Named tasks are read from <data-root>/<data set> \
            (MTT, GS, GTZAN, EMO, NSynth, VocalSet, MTG); with --tasks all, data sets that are \
            missing are skipped with a note. --csv NAME=manifest.csv adds your own tasks. The \
            report folder receives report.md, table.csv, grid.csv and plots/, rewritten after \
            every task; running the same command again resumes where it stopped.

            Under mpirun (mpirun -np N msl benchmark …) the N ranks split every model's \
            feature extraction between them (rank r takes items r, r + N, …; the cache files \
            are the ones one process writes), then rank 0 trains the probes and writes the \
            report alone.
            """)

    @Option(parsing: .upToNextOption, help: "Checkpoints (MusicSSL, HuggingFace or fairseq).")
    var checkpoints: [String] = []

    @Option(
        parsing: .upToNextOption, help: "Row names, one per checkpoint (default: from the paths).")
    var names: [String] = []

    @Option(
        parsing: .upToNextOption,
        help: "all, or task names (\(NamedTask.allCases.map(\.rawValue).joined(separator: ", "))).")
    var tasks: [String] = ["all"]

    @Option(help: "The folder holding the data sets' folders.")
    var dataRoot: String?

    @Option(
        name: .customLong("csv"),
        help: "Your own task, NAME=manifest.csv (a split column; repeatable).")
    var csvTasks: [String] = []

    @Option(
        help: "Audio root for relative paths in --csv manifests (default: each manifest's folder).")
    var audioRoot: String?

    @Flag(
        help:
            "Add a row for the first checkpoint's architecture randomly initialised as pre-training starts (seed 0), untrained.")
    var randomBaseline = false

    @Flag(
        help:
            "Add a row for the model-free baseline: MFCC-39 mean and deviation per clip (frames for beat tracking).")
    var mfccBaseline = false

    @Option(name: .shortAndLong, help: "The report folder.")
    var output: String

    @OptionGroup(title: "Probe grid")
    var sweep: SweepOptions

    func validate() throws {
        guard !checkpoints.isEmpty || mfccBaseline else {
            throw ValidationError("Give at least one --checkpoints path (or --mfcc-baseline).")
        }
        guard names.isEmpty || names.count == checkpoints.count else {
            throw ValidationError(
                "--names needs one name per checkpoint (\(checkpoints.count)), got \(names.count).")
        }
        if dataRoot == nil {
            guard !csvTasks.isEmpty else {
                throw ValidationError("Give --data-root DIR and/or --csv NAME=manifest.csv.")
            }
            guard tasks == ["all"] else {
                throw ValidationError("Named tasks need --data-root DIR.")
            }
        }
        let rowNames = names.isEmpty ? checkpoints.map(ProbeSession.defaultName(for:)) : names
        guard !randomBaseline || !checkpoints.isEmpty else {
            throw ValidationError("--random-baseline takes the first checkpoint's architecture; give --checkpoints.")
        }
        let baselineNames = (randomBaseline ? ["random init"] : []) + (mfccBaseline ? ["MFCC"] : [])
        guard Set(rowNames + baselineNames).count == rowNames.count + baselineNames.count else {
            throw ValidationError(
                "Two checkpoints would share a row name (\(rowNames.joined(separator: ", "))); give --names."
            )
        }
        for entry in csvTasks where !entry.contains("=") {
            throw ValidationError("--csv takes NAME=manifest.csv, got '\(entry)'.")
        }
    }

    func run() throws {
        let job = try DistributedJob.join()
        try job.run(synchronizingAtEnd: false) { try benchmark(in: job) }
    }

    /// The benchmark on one rank of `job` (the only one, without mpirun): under mpirun every
    /// rank builds its share of the feature caches
    /// (``ProbeSession/buildFeatureCacheShare(rows:tasks:communicator:)``), then, after a
    /// barrier, the other ranks finish and rank 0 runs the benchmark alone with every core,
    /// finding the features cached.
    private func benchmark(in job: DistributedJob) throws {
        var entries: [ProbeSession.Task] = []
        if let dataRoot {
            let (named, skipped) = try TaskSelection.named(
                tasks, dataRoot: URL(fileURLWithPath: dataRoot))
            for note in skipped where job.isRoot {
                ProgressBar.writeToStandardError("note: skipping \(note)\n")
            }
            entries += named
        }
        for entry in csvTasks {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            entries.append(
                try CSVTaskOptions.task(name: parts[0], manifest: parts[1], audioRoot: audioRoot))
        }
        guard !entries.isEmpty else {
            throw ValidationError("No task to run: no data set found and no --csv task.")
        }
        let checkpointList = checkpoints.enumerated().map { index, path in
            ProbeSession.Checkpoint(
                path: path, name: names.isEmpty ? ProbeSession.defaultName(for: path) : names[index]
            )
        }
        let folder = URL(fileURLWithPath: output)
        let session = ProbeSession(
            output: folder, sweep: try sweep.configuration(), maximumEpochs: sweep.maxEpochs)
        var rows = checkpointList.map(ProbeSession.Row.checkpoint)
        var described = checkpointList.map { "\($0.name) (`\($0.path)`)" }
        if randomBaseline, let first = checkpointList.first {
            rows.append(.randomInitialization(architectureOf: first.path, seed: 0, name: "random init"))
            described.append("random init (\(first.name)'s architecture, untrained)")
        }
        if mfccBaseline {
            rows.append(.mfccStatistics(name: "MFCC"))
            described.append("MFCC (MFCC-39 statistics, no model)")
        }
        if job.communicator.size > 1 {
            try session.buildFeatureCacheShare(rows: rows, tasks: entries, communicator: job.communicator)
            try job.communicator.barrier()
            guard job.isRoot else { return }
            job.useWholeHost()
        }
        let report = try session.run(
            rows: rows, tasks: entries,
            preamble:
                "`msl benchmark` of \(described.joined(separator: ", ")) "
                + "on \(entries.map(\.task.name).joined(separator: ", ")).")
        print(report.markdownTable(), terminator: "")
        print("report: \(folder.appendingPathComponent("report.md").path)")
    }
}
