import Foundation
import MusicSSLCore

/// MusicSSL-only timings of the audio front end on 60 s of audio: the resampler at each quality
/// and the torchaudio-parity `SincResampler` (44.1 → 16 kHz), and MERT's CQT (24 kHz). No reference column: the figures document what a
/// crop or a CQT target costs.
func measureDSP(_ options: BenchmarkOptions) throws {
    let seconds = 60.0
    func tone(rate: Int) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { n in
            let t = Double(n) / Double(rate)
            return Float(0.3 * sin(2 * Double.pi * 440 * t) + 0.2 * sin(2 * Double.pi * 10_000 * t))
        }
    }
    let input = tone(rate: 44_100)
    var rows: [(String, Summary)] = []
    for (name, quality) in [("best", Resampler.Quality.best), ("medium", .medium), ("fastest", .fastest)] {
        let resampler = Resampler(quality: quality)
        var failure: Error?
        let samples = (0..<options.roundCount).map { _ in
            secondsTaken {
                do { _ = try resampler.resample(input, from: 44_100, to: 16_000) } catch { failure = error }
            }
        }
        if let failure { throw failure }
        rows.append(("Resampler .\(name), 44.1 → 16 kHz", Summary(samples)))
    }
    let sinc = SincResampler()
    _ = try sinc.resample(input, from: 44_100, to: 16_000)  // builds and caches the kernel
    var sincFailure: Error?
    let sincSamples = (0..<options.roundCount).map { _ in
        secondsTaken {
            do { _ = try sinc.resample(input, from: 44_100, to: 16_000) } catch { sincFailure = error }
        }
    }
    if let sincFailure { throw sincFailure }
    rows.append(("SincResampler (torchaudio Hann, width 6), 44.1 → 16 kHz", Summary(sincSamples)))
    let cqt = try ConstantQTransform(configuration: .mert)
    let cqtInput = tone(rate: 24_000)
    _ = try cqt(cqtInput)  // builds and caches the kernels
    var failure: Error?
    let cqtSamples = (0..<options.roundCount).map { _ in
        secondsTaken {
            do { _ = try cqt(cqtInput) } catch { failure = error }
        }
    }
    if let failure { throw failure }
    rows.append(("CQT, MERT preset (336 bins, hop 320), 24 kHz", Summary(cqtSamples)))

    print("## Audio front end, 60 s of audio, \(options.roundCount) runs each\n")
    print("| what | median (best) s | × real time (median) |")
    print("|---|---:|---:|")
    for (name, summary) in rows {
        print("| \(name) | \(Report.format(summary.median, digits: 3)) (\(Report.format(summary.best, digits: 3))) "
              + "| \(Report.format(seconds / summary.median, digits: 0)) |")
    }
    print()
}
