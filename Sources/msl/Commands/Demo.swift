import ArgumentParser
import Foundation

/// `msl demo`: the paper's comparison in miniature, end to end, on 2 CPU cores.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Synthesise music, pre-train tiny MusicHuBERT and Music2vec, probe them against two baselines, print Table 1.",
        discussion: """
            Runs ordinary msl commands, printing each before it runs: msl synth writes a seeded \
            synthetic suite (labelled pitch, instrument, chord, key, tempo and beat tasks, and an \
            unlabelled corpus); msl kmeans fit and label make MusicHuBERT's MFCC cluster \
            targets; msl pretrain trains tiny MusicHuBERT and tiny Music2vec on the corpus; msl \
            benchmark probes both, the same architecture randomly initialised, and MFCC \
            statistics on every task, and writes the report. With --corpus the models \
            pre-train on your own music folder instead (the tasks stay synthetic). Running the \
            same command again continues where it stopped.
            """)

    @Option(name: .shortAndLong, help: "The demo's folder (suite, runs, report).")
    var output = "demo-output"

    @Option(help: "Pre-train on this folder of your own music instead of the synthetic corpus.")
    var corpus: String?

    @Option(help: "Seed of the suite, the k-means and the pre-training runs.")
    var seed: UInt64 = 0

    @Option(help: "Pre-training updates per model (default 250).")
    var steps: Int?

    @Flag(help: "A smoke run of a minute or two: a small suite, a few updates and epochs.")
    var quick = false

    @Option(
        name: .customLong("set"),
        help: "Override a pre-training key for both models, key=value (repeatable).")
    var overrides: [String] = []

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps must be positive, got \(steps).") }
        if let corpus {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: corpus, isDirectory: &isDirectory),
                isDirectory.boolValue
            else {
                throw ValidationError("--corpus \(corpus) is not a folder.")
            }
        }
    }

    /// The plan these options describe.
    var plan: DemoPlan {
        var budget = quick ? DemoPlan.Budget.quick : .standard
        if let steps { budget.pretrainingSteps = steps }
        return DemoPlan(
            output: URL(fileURLWithPath: output).standardizedFileURL,
            corpus: corpus.map { URL(fileURLWithPath: $0).standardizedFileURL }, seed: seed,
            budget: budget, overrides: overrides)
    }

    func run() throws {
        let plan = plan
        try plan.claimFolder()
        try plan.writeConfigurations()
        let started = ProgressBar.uptimeSeconds()
        var timings: [(String, Double)] = []
        let steps = plan.steps
        for (index, step) in steps.enumerated() {
            let header = "[\(index + 1)/\(steps.count)] \(step.title)"
            if step.isDone {
                print("\(header): done already\n")
                continue
            }
            print("\(header)\n$ \(step.commandLine)")
            fflush(stdout)
            let stepStarted = ProgressBar.uptimeSeconds()
            var command = try MSL.parseAsRoot(step.arguments)
            try command.run()
            let seconds = ProgressBar.uptimeSeconds() - stepStarted
            timings.append((step.arguments.prefix(2).joined(separator: " "), seconds))
            print(String(format: "(%.0f s)\n", seconds))
            fflush(stdout)
        }
        let total = ProgressBar.uptimeSeconds() - started
        let parts = timings.map { String(format: "%@ %.0f s", $0.0, $0.1) }
        print(
            String(format: "msl demo finished in %.1f min", total / 60)
                + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"))
        print("report: \(plan.reportFolder.appendingPathComponent("report.md").path)")
    }
}
