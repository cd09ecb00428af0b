import Foundation
import MusicSSLCore

/// What `reference_resample.py` prints: torchaudio's timings per rate pair.
private struct ReferenceResampleReply: Decodable {
    let torch: String
    let torchaudio: String
    let threads: Int
    let seconds: [String: [Double]]
}

/// Timings of the audio front end: `Resampler` at each quality and the torchaudio-parity
/// `SincResampler` on 60 s at 44.1 → 16 kHz, `SincResampler` on a 30-s MARBLE clip at 22.05 →
/// 16 kHz (the resamplers run on one thread), and MERT's CQT on 60 s at 24 kHz. With `MSL_BENCH_PYTHON`,
/// torchaudio's `transforms.Resample` on the same two resampling inputs
/// (`Benchmarks/reference_resample.py`, one thread), run right after.
func measureDSP(_ options: BenchmarkOptions) throws {
    func tone(seconds: Double, rate: Int) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { n in
            let t = Double(n) / Double(rate)
            return Float(0.3 * sin(2 * Double.pi * 440 * t) + 0.2 * sin(2 * Double.pi * 10_000 * t))
        }
    }
    func timed(_ body: () throws -> Void) throws -> Summary {
        try body()  // warm-up: builds and caches kernels
        var samples: [Double] = []
        for _ in 0..<options.roundCount { samples.append(try secondsTaken(body)) }
        return Summary(samples)
    }
    let long = tone(seconds: 60, rate: 44_100)
    let clip = tone(seconds: 30, rate: 22_050)
    var rows: [(name: String, audioSeconds: Double, summary: Summary, reference: String?)] = []
    for (name, quality) in [("best", Resampler.Quality.best), ("medium", .medium), ("fastest", .fastest)] {
        let resampler = Resampler(quality: quality)
        let summary = try timed { _ = try resampler.resample(long, from: 44_100, to: 16_000) }
        rows.append(("Resampler .\(name), 60 s, 44.1 → 16 kHz", 60, summary, nil))
    }
    let sinc = SincResampler()
    rows.append((
        "SincResampler (torchaudio Hann, width 6), 60 s, 44.1 → 16 kHz", 60,
        try timed { _ = try sinc.resample(long, from: 44_100, to: 16_000) }, "44100->16000"))
    rows.append((
        "SincResampler, one 30-s MARBLE clip, 22.05 → 16 kHz", 30,
        try timed { _ = try sinc.resample(clip, from: 22_050, to: 16_000) }, "22050->16000"))
    let cqt = try ConstantQTransform(configuration: .mert)
    let cqtInput = tone(seconds: 60, rate: 24_000)
    rows.append(("CQT, MERT preset (336 bins, hop 320), 60 s, 24 kHz", 60, try timed { _ = try cqt(cqtInput) }, nil))

    var reference: ReferenceResampleReply?
    var note = "torchaudio column skipped: set MSL_BENCH_PYTHON to a Python with torch and torchaudio."
    if let python = options.python {
        settle()
        do {
            reference = try runReferenceScript(
                python: python, script: try referenceScriptPath("reference_resample.py"),
                arguments: ["--runs", String(options.roundCount), "--threads", "1"],
                environment: ["OMP_NUM_THREADS": "1"], as: ReferenceResampleReply.self)
            note = "torchaudio column: torch \(reference?.torch ?? "?"), torchaudio \(reference?.torchaudio ?? "?"), 1 thread."
        } catch {
            note = "torchaudio column skipped: \(error)"
        }
    }

    print("## Audio front end, \(options.roundCount) runs each (resamplers on one thread)\n")
    print("| what | median (best) s | × real time (median) | torchaudio `Resample` median (best) s |")
    print("|---|---:|---:|---:|")
    for row in rows {
        var torchaudio = "–"
        if let key = row.reference, let seconds = reference?.seconds[key] {
            let summary = Summary(seconds)
            torchaudio = "\(Report.format(summary.median, digits: 4)) (\(Report.format(summary.best, digits: 4)))"
        }
        print(
            "| \(row.name) | \(Report.format(row.summary.median, digits: 4)) "
                + "(\(Report.format(row.summary.best, digits: 4))) "
                + "| \(Report.format(row.audioSeconds / row.summary.median, digits: 0)) | \(torchaudio) |")
    }
    print("\n" + note + "\n")
}
