import Foundation
import MusicSSLCore
import MusicSSLProbe

/// The DBN beat decoder (``DBNBeatDecoder``, madmom's defaults) on 30 s of synthetic beat
/// activations at 50 and 100 fps, against madmom's `DBNBeatTrackingProcessor`
/// (`Benchmarks/reference_dbn.py`, run with `MSL_BENCH_MADMOM_PYTHON`) on the same activations.
enum DBNBenchmark {
    static let seconds = 30.0
    static let frameRates = [50.0, 100.0]

    /// Peaks at 123 bpm (Gaussian, σ 20 ms, heights 0.5–0.95) over uniform noise below 0.1.
    static func activations(framesPerSecond: Double) -> [Float] {
        var generator = SplitMix64(seed: 123)
        let count = Int(seconds * framesPerSecond)
        let period = 60.0 / 123
        var values = (0..<count).map { _ in Float.random(in: 0..<0.1, using: &generator) }
        var beat = 0.25
        while beat < seconds {
            let height = Double.random(in: 0.5...0.95, using: &generator)
            for frame in 0..<count {
                let distance = (Double(frame) / framesPerSecond - beat) / 0.02
                values[frame] = max(values[frame], Float(height * exp(-0.5 * distance * distance)))
            }
            beat += period
        }
        return values.map { min($0, 0.99) }
    }
}

/// One frame rate's figures.
private struct DBNRun {
    let framesPerSecond: Double
    let stateCount: Int
    let buildSeconds: [Double]
    let decodeSeconds: [Double]
    let beats: [Double]
    var reference: ReferenceDBNReply?
}

/// What `reference_dbn.py` prints.
private struct ReferenceDBNReply: Decodable {
    let madmom: String
    let numpy: String
    let buildSeconds: Double
    let decodeSeconds: [Double]
    let beats: [Double]

    enum CodingKeys: String, CodingKey {
        case madmom, numpy, beats
        case buildSeconds = "build_seconds"
        case decodeSeconds = "decode_seconds"
    }
}

/// Times building and decoding on both sides and prints the table.
func compareDBN(_ options: BenchmarkOptions) throws {
    let runCount = options.roundCount * options.iterationsPerRound
    let madmomPython = ProcessInfo.processInfo.environment["MSL_BENCH_MADMOM_PYTHON"]
    var notes: [String] = []
    var runs: [DBNRun] = []
    for fps in DBNBenchmark.frameRates {
        let activations = DBNBenchmark.activations(framesPerSecond: fps)
        var builds: [Double] = []
        var decoder: DBNBeatDecoder?
        for _ in 0..<options.roundCount {
            builds.append(
                try secondsTaken { decoder = try DBNBeatDecoder(.init(framesPerSecond: fps)) })
        }
        guard let decoder else { continue }
        var beats = try decoder.beats(in: activations)  // warm-up
        var decodes: [Double] = []
        for _ in 0..<runCount {
            decodes.append(try secondsTaken { beats = try decoder.beats(in: activations) })
        }
        var run = DBNRun(
            framesPerSecond: fps, stateCount: decoder.stateCount, buildSeconds: builds,
            decodeSeconds: decodes, beats: beats)
        if let madmomPython, !madmomPython.isEmpty {
            settle()
            run.reference = try runReferenceDBN(
                python: madmomPython, activations: activations, fps: fps, runs: runCount)
        }
        runs.append(run)
    }
    if madmomPython == nil {
        notes.append(
            "madmom column skipped: set MSL_BENCH_MADMOM_PYTHON to a Python with madmom 0.16.1.")
    }
    if let reference = runs.first?.reference {
        notes.append(
            "madmom \(reference.madmom) with NumPy \(reference.numpy), one process per frame rate.")
    }
    print("## DBN beat decoding (madmom defaults), \(Int(DBNBenchmark.seconds)) s of activations\n")
    print(
        "Synthetic activations (peaks at 123 bpm over noise); build = state space, transitions "
            + "and observation model; decode = Viterbi + peak correction, \(runCount) runs per "
            + "side after a warm-up, single thread.\n")
    print(Report.dbnTable(runs))
    for note in notes { print("\n" + note) }
    print()
}

/// Writes the activations to a temporary `.npy` and runs `reference_dbn.py` on them.
private func runReferenceDBN(
    python: String, activations: [Float], fps: Double, runs: Int
) throws -> ReferenceDBNReply {
    let url = URL(fileURLWithPath: "/tmp/msl-bench-dbn-\(getpid())-\(Int(fps)).npy")
    defer { try? FileManager.default.removeItem(at: url) }
    try NumPyWriter.write(Tensor(shape: [activations.count], scalars: activations), to: url)
    return try runReferenceScript(
        python: python, script: try referenceScriptPath("reference_dbn.py"),
        arguments: ["--activations", url.path, "--fps", String(fps), "--runs", String(runs)],
        as: ReferenceDBNReply.self)
}

extension Report {
    /// One row per frame rate: states, build and decode milliseconds per side (median, best),
    /// the decode speed-up and whether the beats agree.
    fileprivate static func dbnTable(_ runs: [DBNRun]) -> String {
        func milliseconds(_ samples: [Double]) -> String {
            let summary = Summary(samples)
            let median = format(summary.median * 1e3, digits: 2)
            return "\(median) (\(format(summary.best * 1e3, digits: 2)))"
        }
        var lines = [
            "| fps | frames | states | MusicSSL build ms | MusicSSL decode ms, median (best) "
                + "| madmom build ms | madmom decode ms, median (best) | decode speed-up | same beats |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
        ]
        for run in runs {
            let frames = Int(DBNBenchmark.seconds * run.framesPerSecond)
            var cells = [
                format(run.framesPerSecond, digits: 0), "\(frames)", "\(run.stateCount)",
                format(Summary(run.buildSeconds).median * 1e3, digits: 2),
                milliseconds(run.decodeSeconds),
            ]
            if let reference = run.reference {
                let speedUp =
                    Summary(reference.decodeSeconds).median / Summary(run.decodeSeconds).median
                cells += [
                    format(reference.buildSeconds * 1e3, digits: 1),
                    milliseconds(reference.decodeSeconds), format(speedUp, digits: 1) + "×",
                    run.beats == reference.beats ? "yes (\(run.beats.count))" : "**no**",
                ]
            } else {
                cells += ["–", "–", "–", "–"]
            }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}
