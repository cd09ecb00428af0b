import Foundation
import MusicSSLCore

/// HuBERT's 39-dim Kaldi MFCC labels (``KaldiMFCC`` with ``MFCCVariant/kaldi39``) on 60 s of
/// 16 kHz audio: a chord of harmonic tones plus white noise, as `Benchmarks/reference_mfcc.py`
/// synthesises for torchaudio.
struct MFCCBenchmark {
    static let sampleRate = 16_000
    static let seconds = 60.0
    /// Runs per side and round.
    static let iterationsPerRound = 10

    private let samples: [Float]
    private let mfcc: KaldiMFCC

    /// Synthesises the signal and runs one warm-up extraction.
    init() throws {
        let count = Int(Double(Self.sampleRate) * Self.seconds)
        var generator = SplitMix64(seed: 0)
        let noise = Tensor.randomNormal([count], using: &generator).scalars
        let notes = [220.0, 277.18, 329.63]
        var chord = (0..<count).map { n -> Double in
            let t = Double(n) / Double(Self.sampleRate)
            return notes.reduce(0) { sum, note in
                sum
                    + (1...5).reduce(0) {
                        $0 + sin(2 * Double.pi * Double($1) * note * t) / Double($1)
                    }
            }
        }
        let peak = chord.map(abs).max() ?? 1
        chord = chord.map { 0.8 * $0 / peak }
        samples = zip(chord, noise).map { Float($0 + 0.01 * Double($1)) }
        mfcc = try KaldiMFCC(.kaldi39)
        _ = try run()
    }

    /// Seconds one extraction takes.
    func run() throws -> Double {
        var failure: Error?
        let seconds = secondsTaken {
            do { _ = try mfcc(samples, sampleRate: Self.sampleRate) } catch { failure = error }
        }
        if let failure { throw failure }
        return seconds
    }
}

/// Times MusicSSL's MFCC-39 and, when a Python is given, torchaudio's, round by round at 1 and
/// `options.threadCount` threads, and prints the table.
func compareMFCC(_ options: BenchmarkOptions) throws {
    let threadCounts = Array(Set([1, options.threadCount])).sorted()
    var references: [Int: TorchReference] = [:]
    var notes: [String] = []
    if let python = options.python {
        do {
            for threads in threadCounts {
                references[threads] = try TorchReference(
                    python: python, script: try referenceScriptPath("reference_mfcc.py"),
                    threadCount: threads, tunesMalloc: false)
            }
        } catch {
            notes.append("torchaudio column skipped: \(error)")
            references = [:]
        }
    } else {
        notes.append("torchaudio column skipped: set MSL_BENCH_PYTHON to a Python with torchaudio.")
    }
    defer { for reference in references.values { reference.stop() } }

    let benchmark = try MFCCBenchmark()
    var ours = [Int: [Double]](), theirs = [Int: [Double]]()
    for _ in 0..<options.roundCount {
        for threads in threadCounts {
            Parallelism.threadCount = threads
            for _ in 0..<MFCCBenchmark.iterationsPerRound {
                ours[threads, default: []].append(try benchmark.run())
            }
            if let reference = references[threads] {
                settle()
                let round = try reference.request(
                    "round \(MFCCBenchmark.iterationsPerRound)", as: MFCCRound.self)
                theirs[threads, default: []] += round.seconds
            }
            settle()
        }
    }
    Parallelism.threadCount = options.threadCount

    let torchLabel = references.values.first.map { "torchaudio \($0.torchaudioVersion ?? "?")" }
    if let reference = references.values.first {
        notes.insert("torchaudio ran on \(reference.label.components(separatedBy: ",")[0]).", at: 0)
    }
    print("## Kaldi MFCC-39 (HuBERT labels), 60 s of 16 kHz audio\n")
    print(
        "\(options.roundCount) interleaved rounds × \(MFCCBenchmark.iterationsPerRound) runs per "
            + "side; throughput in seconds of audio per second (median run).\n")
    print(Report.mfccTable(ours: ours, theirs: theirs, theirLabel: torchLabel))
    for note in notes { print("\n" + note) }
    print()
}

/// The timings `reference_mfcc.py` reports for one round.
struct MFCCRound: Decodable {
    let seconds: [Double]
}

extension Report {
    /// One row per thread count: median (best) milliseconds and throughput per side, and the
    /// ratio of the medians (of the best runs).
    static func mfccTable(
        ours: [Int: [Double]], theirs: [Int: [Double]], theirLabel: String?
    ) -> String {
        let audio = MFCCBenchmark.seconds
        func cells(_ samples: [Double]?) -> [String] {
            guard let samples, !samples.isEmpty else { return ["–", "–"] }
            let summary = Summary(samples)
            return [
                "\(format(summary.median * 1e3, digits: 1)) (\(format(summary.best * 1e3, digits: 1)))",
                format(audio / summary.median, digits: 0),
            ]
        }
        let other = theirLabel ?? "torchaudio"
        var lines = [
            "| threads | MusicSSL ms, median (best) | MusicSSL s/s | \(other) ms, median (best) "
                + "| \(other) s/s | speed-up, median (best) |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for threads in ours.keys.sorted() {
            var speedUp = "–"
            if let mine = ours[threads], let reference = theirs[threads], !reference.isEmpty {
                let (a, b) = (Summary(mine), Summary(reference))
                speedUp =
                    format(b.median / a.median, digits: 1) + "× ("
                    + format(b.best / a.best, digits: 1) + "×)"
            }
            lines.append(
                "| \(threads) | "
                    + (cells(ours[threads]) + cells(theirs[threads]) + [speedUp])
                    .joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}
