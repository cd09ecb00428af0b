import Foundation
import MusicSSLCore
import MusicSSLProbe

/// Plain measurements on rendered audio that check the synthetic labels: fundamental by
/// harmonic sum over FFT spectra, chroma and key by Krumhansl–Kessler profiles, onset strength.
enum SyntheticAudioAnalysis {
    /// Magnitude spectra of Hann-windowed frames of `frameSize` samples every `hop` samples
    /// from `start` (frames past the end are dropped; one frame is zero-padded to `paddedSize`).
    static func spectra(
        of samples: [Float], frameSize: Int, hop: Int, paddedSize: Int? = nil, start: Int = 0
    ) throws -> [[Float]] {
        let size = paddedSize ?? frameSize
        let starts = Array(stride(from: start, through: samples.count - frameSize, by: hop))
        var frames = [Float](repeating: 0, count: starts.count * size)
        for (row, first) in starts.enumerated() {
            for offset in 0..<frameSize {
                let window = 0.5 - 0.5 * cos(2 * Float.pi * Float(offset) / Float(frameSize))
                frames[row * size + offset] = window * samples[first + offset]
            }
        }
        let magnitudes = try RealFFT(size: size).magnitudeSpectrum(
            Tensor(shape: [starts.count, size], scalars: frames)
        ).scalars
        let bins = size / 2 + 1
        return starts.indices.map { Array(magnitudes[($0 * bins)..<(($0 + 1) * bins)]) }
    }

    /// The magnitude of `spectrum` (from frames of `size` samples) at `frequency`: the largest
    /// of the nearest bin and its neighbours.
    static func magnitude(
        _ spectrum: [Float], at frequency: Double, size: Int, sampleRate: Int
    ) -> Double {
        let bin = Int((frequency * Double(size) / Double(sampleRate)).rounded())
        guard bin >= 1, bin + 1 < spectrum.count else { return 0 }
        return Double(max(spectrum[bin - 1], spectrum[bin], spectrum[bin + 1]))
    }

    /// The MIDI pitch in `candidates` whose first six harmonics, weighted 1/h, hold the most
    /// magnitude in the 1.024-s spectrum (16384 samples at 16 kHz) from `start`.
    static func fundamental(
        of samples: [Float], from start: Int, sampleRate: Int, candidates: ClosedRange<Int>
    ) throws -> Int {
        let size = 16_384
        let spectrum = try spectra(of: samples, frameSize: size, hop: size, start: start)[0]
        let score = { (midi: Int) -> Double in
            let frequency = SyntheticPitchRange.frequency(of: Double(midi))
            return (1...6).filter { Double($0) * frequency < 0.45 * Double(sampleRate) }
                .reduce(0) { total, h in
                    total
                        + magnitude(
                            spectrum, at: Double(h) * frequency, size: size,
                            sampleRate: sampleRate) / Double(h)
                }
        }
        return candidates.max { score($0) < score($1) } ?? candidates.lowerBound
    }

    /// Twelve pitch-class magnitudes (C first): the spectrum at MIDI 36–83 in 2048-sample
    /// frames at half overlap, summed over the clip.
    static func chroma(of samples: [Float], sampleRate: Int) throws -> [Double] {
        var chroma = [Double](repeating: 0, count: 12)
        for spectrum in try spectra(of: samples, frameSize: 2048, hop: 1024) {
            for midi in 36...83 {
                let frequency = SyntheticPitchRange.frequency(of: Double(midi))
                let bin = Int((frequency * 2048 / Double(sampleRate)).rounded())
                chroma[midi % 12] += Double(spectrum[bin])
            }
        }
        return chroma
    }

    /// The key whose rotated Krumhansl–Kessler profile correlates best with `chroma`.
    static func estimatedKey(chroma: [Double]) -> MusicalKey {
        let major = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
        let minor = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]
        return MusicalKey.marbleClasses.max { a, b in
            correlation(chroma, profile(a, major, minor))
                < correlation(chroma, profile(b, major, minor))
        } ?? .uncategorized
    }

    private static func profile(_ key: MusicalKey, _ major: [Double], _ minor: [Double]) -> [Double]
    {
        let base = key.mode == .minor ? minor : major
        return (0..<12).map { base[(($0 - (key.tonic ?? 0)) % 12 + 12) % 12] }
    }

    private static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let mx = x.reduce(0, +) / Double(x.count)
        let my = y.reduce(0, +) / Double(y.count)
        let cov = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let vx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let vy = y.reduce(0) { $0 + ($1 - my) * ($1 - my) }
        return cov / (vx * vy).squareRoot()
    }

    /// Onset strength per 10-ms frame: the rise in log energy of the first difference of the
    /// signal (which favours drums and attacks), half-wave rectified.
    static func onsetStrength(of samples: [Float], sampleRate: Int) -> [Double] {
        let hop = sampleRate / 100
        let frameCount = samples.count / hop
        let energies = (0..<frameCount).map { frame in
            var energy = 0.0
            for index in max(1, frame * hop)..<((frame + 1) * hop) {
                let difference = Double(samples[index] - samples[index - 1])
                energy += difference * difference
            }
            return log(energy + 1e-6)
        }
        return energies.indices.map { $0 == 0 ? 0 : max(0, energies[$0] - energies[$0 - 1]) }
    }
}
