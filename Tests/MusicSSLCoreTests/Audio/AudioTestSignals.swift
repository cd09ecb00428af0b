import Foundation
import MusicSSLTestSupport

/// Signals and measurements shared by the audio tests, computed independently of the decoder.
enum AudioTestSignals {
    /// `amplitude · sin(2π · frequency · t)` for `seconds` at `sampleRate`. Shape: [frames].
    static func sine(
        frequency: Double = 440, amplitude: Double = 0.5, sampleRate: Int, seconds: Double
    ) -> [Float] {
        let frameCount = Int((seconds * Double(sampleRate)).rounded())
        let step = 2 * Double.pi * frequency / Double(sampleRate)
        return (0..<frameCount).map { Float(amplitude * sin(step * Double($0))) }
    }

    /// Interleaves equally long channels into [frames × channels].
    static func interleave(_ channels: [[Float]]) -> [Float] {
        let frameCount = channels.first?.count ?? 0
        var interleaved = [Float]()
        interleaved.reserveCapacity(frameCount * channels.count)
        for frame in 0..<frameCount {
            for channel in channels { interleaved.append(channel[frame]) }
        }
        return interleaved
    }

    /// Root mean square, in Double.
    static func rms(_ x: ArraySlice<Float>) -> Double {
        guard !x.isEmpty else { return 0 }
        return (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot()
    }

    /// Pearson correlation of two equally long signals.
    static func correlation(_ x: ArraySlice<Float>, _ y: ArraySlice<Float>) -> Double {
        let n = Double(min(x.count, y.count))
        let xs = x.prefix(Int(n)).map(Double.init)
        let ys = y.prefix(Int(n)).map(Double.init)
        let mx = xs.reduce(0, +) / n
        let my = ys.reduce(0, +) / n
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for (a, b) in zip(xs, ys) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        return sxy / (sxx * syy).squareRoot()
    }

    /// The frequency of a clean tone from the span between its first and last upward zero
    /// crossing, interpolated between samples.
    static func zeroCrossingFrequency(_ x: ArraySlice<Float>, sampleRate: Int) -> Double {
        var crossings = [Double]()
        var index = x.startIndex
        while index + 1 < x.endIndex {
            let a = Double(x[index])
            let b = Double(x[index + 1])
            if a < 0, b >= 0 { crossings.append(Double(index) + a / (a - b)) }
            index += 1
        }
        guard let first = crossings.first, let last = crossings.last, crossings.count > 1 else {
            return 0
        }
        return Double(crossings.count - 1) * Double(sampleRate) / (last - first)
    }

    /// Largest absolute difference between two equally long signals.
    static func maximumDifference(_ x: ArraySlice<Float>, _ y: ArraySlice<Float>) -> Float {
        zip(x, y).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}

extension AudioFileFormat {
    /// The rate the round-trip tests write at: Opus only runs at 48 kHz-family rates.
    var testSampleRate: Int { self == .oggOpus ? 48_000 : 44_100 }

    /// How far the decoded length may stray from the written one, in frames.
    var lengthToleranceFrames: Int {
        switch self {
        case .mp3: 1_152 * 2
        default: 0
        }
    }

    /// Largest error a lossless round trip of a 0.5-amplitude signal may show: half a
    /// quantisation step plus libsndfile's 0x7FFF-write / 0x8000-read scale mismatch.
    var losslessTolerance: Float? {
        switch self {
        case .wavPCM8: 0.5 / 128 + 0.5 / 128 + 1e-6
        case .wavPCM16, .flac: 0.5 / 32_768 + 0.5 / 32_768 + 1e-7
        case .wavPCM24: 0.5 / 8_388_608 + 0.5 / 8_388_608 + 1e-7
        case .wavPCM32: 1e-7
        case .wavFloat: 0
        case .oggVorbis, .oggOpus, .mp3: nil
        }
    }
}
