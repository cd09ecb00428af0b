import Foundation
import MusicSSLTestSupport
import Testing

/// A sine of `frequency` Hz and peak `amplitude`, `seconds` long at `sampleRate`.
private func sine(
    frequency: Double, amplitude: Double = 0.5, seconds: Double, sampleRate: Int
)
    -> [Float]
{
    let count = Int(seconds * Double(sampleRate))
    let step = 2 * Double.pi * frequency / Double(sampleRate)
    return (0..<count).map { Float(amplitude * sin(step * Double($0))) }
}

/// The middle of `samples`, without `margin` samples at either end, where the edges of a signal
/// cut off at both ends (and the filter's ringing on them) do not reach.
private func interior(_ samples: [Float], margin: Int) -> ArraySlice<Float> {
    samples[margin..<(samples.count - margin)]
}

private func rootMeanSquare(_ samples: ArraySlice<Float>) -> Double {
    (samples.reduce(0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
}

/// The frequency of a sine estimated from its upward zero crossings, interpolated linearly
/// between samples: (crossings − 1) periods between the first and last crossing.
private func zeroCrossingFrequency(_ samples: ArraySlice<Float>, sampleRate: Int) -> Double {
    var crossings: [Double] = []
    var previous = samples.startIndex
    for index in samples.indices.dropFirst() {
        let a = Double(samples[previous])
        let b = Double(samples[index])
        if a < 0, b >= 0 {
            crossings.append(Double(previous) + a / (a - b))
        }
        previous = index
    }
    guard let first = crossings.first, let last = crossings.last, crossings.count > 1 else {
        return 0
    }
    return Double(crossings.count - 1) * Double(sampleRate) / (last - first)
}

private func decibels(_ ratio: Double) -> Double {
    20 * log10(max(ratio, 1e-12))
}

@Suite("Resampler")
struct ResamplerTests {
    @Test(
        "a sine keeps its frequency and amplitude",
        arguments: [
            (44_100, 16_000), (48_000, 24_000), (16_000, 44_100), (44_100, 24_000),
            (8_000, 16_000), (192_000, 16_000), (22_050, 24_000),
        ])
    func sineKeepsFrequencyAndAmplitude(rates: (input: Int, output: Int)) throws {
        let frequency = 1_000.0
        let input = sine(frequency: frequency, seconds: 1, sampleRate: rates.input)
        let output = try Resampler().resample(input, from: rates.input, to: rates.output)

        #expect(output.count == rates.output)
        let middle = interior(output, margin: rates.output / 20)
        let measuredFrequency = zeroCrossingFrequency(middle, sampleRate: rates.output)
        let amplitudeRatio = rootMeanSquare(middle) / (0.5 / 2.0.squareRoot())
        #expect(abs(measuredFrequency - frequency) / frequency < 1e-4)
        #expect(abs(amplitudeRatio - 1) < 0.005)
    }

    @Test("samples stay aligned in time with the input")
    func outputIsTimeAligned() throws {
        let input = sine(frequency: 440, seconds: 1, sampleRate: 44_100)
        let output = try Resampler().resample(input, from: 44_100, to: 16_000)
        let expected = sine(frequency: 440, seconds: 1, sampleRate: 16_000)
        let margin = 800
        let worst =
            zip(interior(output, margin: margin), interior(expected, margin: margin))
            .map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-3)
    }

    /// Measured with libsamplerate 0.2.2 (interior RMS relative to the input's): best −154 dB
    /// at both 10 kHz and 8.5 kHz, medium −132 dB, fastest −111 dB at 10 kHz.
    @Test(
        "content above the new Nyquist frequency is rejected",
        arguments: [
            (Resampler.Quality.best, 10_000.0, 44_100, -120.0),
            (Resampler.Quality.best, 8_500.0, 44_100, -120.0),
            (Resampler.Quality.best, 30_000.0, 192_000, -120.0),
            (Resampler.Quality.medium, 10_000.0, 44_100, -110.0),
            (Resampler.Quality.fastest, 10_000.0, 44_100, -100.0),
        ])
    func aliasingIsRejected(
        quality: Resampler.Quality, frequency: Double, inputRate: Int, bound: Double
    ) throws {
        let input = sine(frequency: frequency, seconds: 1, sampleRate: inputRate)
        let output = try Resampler(quality: quality).resample(input, from: inputRate, to: 16_000)
        let level = decibels(
            rootMeanSquare(interior(output, margin: 800)) / rootMeanSquare(input[...]))
        print("[resample] \(frequency) Hz at \(inputRate) Hz to 16 kHz, \(quality): \(level) dB")
        #expect(level < bound)
    }

    @Test("equal rates return the input unchanged")
    func equalRatesAreIdentity() throws {
        let input = sine(frequency: 300, seconds: 0.1, sampleRate: 16_000)
        #expect(try Resampler().resample(input, from: 16_000, to: 16_000) == input)
    }

    @Test("output length is the input length times the ratio, rounded")
    func outputLengthIsRounded() throws {
        let resampler = Resampler(quality: .fastest)
        for (inputRate, outputRate) in [(44_100, 16_000), (16_000, 44_100), (22_050, 24_000)] {
            for count in [0, 1, 2, 3, 8, 22, 29, 113, 1_001, 4_410] {
                let input = [Float](repeating: 0.25, count: count)
                let output = try resampler.resample(input, from: inputRate, to: outputRate)
                let exact = Double(count) * Double(outputRate) / Double(inputRate)
                #expect(output.count == Int(exact.rounded()), "\(count) at \(inputRate) Hz")
                #expect(
                    output.count
                        == Resampler.outputFrameCount(
                            forInputFrames: count, from: inputRate, to: outputRate))
            }
        }
    }

    @Test("bad rates throw errors naming both rates")
    func badRatesThrow() {
        let input: [Float] = [0, 1, 0, -1]
        #expect(throws: ResamplerError.nonPositiveRate(inputRate: 0, outputRate: 16_000)) {
            try Resampler().resample(input, from: 0, to: 16_000)
        }
        #expect(throws: ResamplerError.nonPositiveRate(inputRate: 44_100, outputRate: -1)) {
            try Resampler().resample(input, from: 44_100, to: -1)
        }
        #expect(throws: ResamplerError.ratioOutOfRange(inputRate: 192_000, outputRate: 100)) {
            try Resampler().resample(input, from: 192_000, to: 100)
        }
        let message = ResamplerError.nonPositiveRate(inputRate: 44_100, outputRate: 0).description
        #expect(message == "[resample] 44100 Hz to 0 Hz: sample rates must be positive")
    }
}
