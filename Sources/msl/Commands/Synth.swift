import ArgumentParser
import Foundation
import MusicSSLProbe

/// `msl synth -o DIR`: writes the built-in synthetic benchmark, labelled tasks and an unlabelled
/// corpus, with ``SyntheticSuite``.
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate the seeded synthetic benchmark: labelled tasks and a corpus.",
        discussion: """
            Writes DIR/corpus/*.wav (unlabelled mixes of drums, chords, bass and melody, \
            for msl pretrain --corpus), DIR/tasks/<task>/manifest.csv with \
            DIR/tasks/<task>/audio/*.wav for the tasks pitch, instrument, key, beat, tempo \
            and chord (each loadable with msl probe --manifest), and DIR/suite.json. The same \
            --seed gives byte-identical files. Defaults: 96/32/32 items per task, 120 corpus \
            files of 10 s, 16 kHz; --quick: 24/8/8 items and 12 corpus files. See \
            Documentation/Synthetic.md.
            """)

    @Option(name: .shortAndLong, help: "The folder to write (created or replaced).")
    var output: String

    @Option(help: "Seed of every clip.")
    var seed: UInt64 = 0

    @Option(
        help:
            "Comma-separated tasks among pitch, instrument, key, beat, tempo, chord (default all).")
    var tasks: String?

    @Option(help: "Training items per task (default 96; 24 with --quick).")
    var trainItems: Int?

    @Option(help: "Validation items per task (default 32; 8 with --quick).")
    var validItems: Int?

    @Option(help: "Test items per task (default 32; 8 with --quick).")
    var testItems: Int?

    @Option(help: "Corpus files (default 120; 12 with --quick).")
    var corpusFiles: Int?

    @Option(help: "Seconds per corpus file (default 10).")
    var corpusSeconds: Double?

    @Option(
        name: .customLong("clip-seconds"),
        help:
            "A task's clip length, TASK=SECONDS (repeatable; default 3 for pitch, instrument and chord, 8 for key, beat and tempo).")
    var clipSeconds: [String] = []

    @Option(help: "Sample rate in Hz (default 16000).")
    var sampleRate: Int?

    @Flag(help: "A small suite for smoke tests.")
    var quick = false

    func validate() throws {
        do {
            try suiteConfiguration().validate()
        } catch let error as SyntheticSuiteError {
            throw ValidationError("\(error)")
        }
    }

    /// The configuration the options describe.
    func suiteConfiguration() throws -> SyntheticSuite.Configuration {
        var configuration = quick ? SyntheticSuite.Configuration.quick : .init()
        configuration.seed = seed
        if let tasks {
            configuration.tasks = try tasks.split(separator: ",").map { name in
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let kind = SyntheticTaskKind(rawValue: trimmed) else {
                    throw ValidationError(
                        "--tasks: '\(trimmed)' is not one of "
                            + SyntheticTaskKind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                return kind
            }
        }
        if let trainItems { configuration.trainItems = trainItems }
        if let validItems { configuration.validItems = validItems }
        if let testItems { configuration.testItems = testItems }
        if let corpusFiles { configuration.corpusFiles = corpusFiles }
        if let corpusSeconds { configuration.corpusSeconds = corpusSeconds }
        if let sampleRate { configuration.sampleRate = sampleRate }
        for entry in clipSeconds {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let kind = SyntheticTaskKind(rawValue: parts[0]),
                let seconds = Double(parts[1])
            else {
                throw ValidationError(
                    "--clip-seconds takes TASK=SECONDS with TASK one of "
                        + SyntheticTaskKind.allCases.map(\.rawValue).joined(separator: ", ")
                        + ", got '\(entry)'.")
            }
            configuration.clipSeconds[kind] = seconds
        }
        return configuration
    }

    func run() throws {
        let started = ProgressBar.uptimeSeconds()
        var bar: ProgressBar?
        let summary = try SyntheticSuite(configuration: suiteConfiguration()).write(
            to: URL(fileURLWithPath: output, isDirectory: true)
        ) { _, total in
            if bar == nil { bar = ProgressBar(label: "synth", total: total) }
            bar?.advance()
        }
        bar?.finish()
        print(Self.summaryLine(summary, seconds: ProgressBar.uptimeSeconds() - started))
    }

    /// `synth: 6 tasks (pitch, …), 1080 files, 108.0 min of audio in 21.3 s → DIR`.
    static func summaryLine(_ summary: SyntheticSuite.Summary, seconds: Double) -> String {
        let names = summary.tasks.map(\.kind.rawValue).joined(separator: ", ")
        return "synth: \(summary.tasks.count) tasks (\(names)), \(summary.fileCount) files, "
            + String(format: "%.1f min of audio in %.1f s", summary.audioSeconds / 60, seconds)
            + " → \(summary.corpus.deletingLastPathComponent().path)"
    }
}
