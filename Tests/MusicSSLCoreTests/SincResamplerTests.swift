import Foundation
import MusicSSLTestSupport
import Testing
@testable import MusicSSLCore

/// One torchaudio reference of `Fixtures/sinc_resample.safetensors` (see
/// `Tests/FixtureGenerators/sinc_resample.py`).
struct SincResampleCase: CustomTestStringConvertible, Sendable {
    let name: String
    let inputRate: Int
    let outputRate: Int
    let window: SincResampler.Window

    var testDescription: String { name }

    static let all = [
        SincResampleCase(name: "down_22050_16000", inputRate: 22_050, outputRate: 16_000),
        SincResampleCase(name: "down_44100_16000", inputRate: 44_100, outputRate: 16_000),
        SincResampleCase(name: "down_48000_24000", inputRate: 48_000, outputRate: 24_000),
        SincResampleCase(name: "up_16000_22050", inputRate: 16_000, outputRate: 22_050),
        SincResampleCase(name: "up_8000_16000", inputRate: 8_000, outputRate: 16_000),
        SincResampleCase(name: "up_22050_24000", inputRate: 22_050, outputRate: 24_000),
        SincResampleCase(name: "short_44100_16000", inputRate: 44_100, outputRate: 16_000),
        SincResampleCase(
            name: "kaiser_44100_16000", inputRate: 44_100, outputRate: 16_000, window: .kaiser),
        SincResampleCase(name: "down_96000_16000", inputRate: 96_000, outputRate: 16_000),
        SincResampleCase(name: "up_11025_16000", inputRate: 11_025, outputRate: 16_000),
    ]

    init(name: String, inputRate: Int, outputRate: Int, window: SincResampler.Window = .hann) {
        self.name = name
        self.inputRate = inputRate
        self.outputRate = outputRate
        self.window = window
    }
}

private func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

private func sine(frequency: Double, seconds: Double, sampleRate: Int) -> [Float] {
    let step = 2 * Double.pi * frequency / Double(sampleRate)
    return (0..<Int(seconds * Double(sampleRate))).map { Float(0.5 * sin(step * Double($0))) }
}

@Suite("SincResampler")
struct SincResamplerTests {
    /// Float32 convolution in a different summation order than torch's conv1d; measured maxima
    /// are printed by the test.
    static let tolerance: Float = 1e-5

    @Test(
        "matches torchaudio.transforms.Resample in length and value",
        arguments: SincResampleCase.all)
    func parityWithTransform(reference: SincResampleCase) throws {
        try expectParity(reference, precision: .float64, key: "output", with: "transforms.Resample")
    }

    @Test(
        "with a Float32 kernel, matches torchaudio.functional.resample",
        arguments: SincResampleCase.all)
    func parityWithFunctional(reference: SincResampleCase) throws {
        try expectParity(
            reference, precision: .float32, key: "functional", with: "functional.resample")
    }

    /// Resamples the case's input and expects the stored `<case>.<key>` in length and within
    /// ``tolerance``; prints the largest difference.
    private func expectParity(
        _ reference: SincResampleCase, precision: SincResampler.KernelPrecision, key: String,
        with torchName: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let fixture = try Fixture.load("sinc_resample", in: Bundle.module)
        let input = try #require(fixture["\(reference.name).input"]).scalars
        let expected = try #require(fixture["\(reference.name).\(key)"]).scalars
        let resampler = SincResampler(window: reference.window, kernelPrecision: precision)
        let output = try resampler.resample(
            input, from: reference.inputRate, to: reference.outputRate)

        #expect(output.count == expected.count, sourceLocation: sourceLocation)
        #expect(
            SincResampler.outputFrameCount(
                forInputFrames: input.count, from: reference.inputRate, to: reference.outputRate)
                == expected.count, sourceLocation: sourceLocation)
        let difference = maximumDifference(output, expected)
        #expect(
            difference <= Self.tolerance, "\(reference.name): max difference \(difference)",
            sourceLocation: sourceLocation)
        print(
            "[\(reference.name), \(precision) kernel] \(input.count) → \(output.count) samples, "
                + "max |Swift − \(torchName)| \(difference)")
    }

    @Test(
        "matches the direct definition on inputs spanning many blocks and tiles",
        arguments: [(44_100, 16_000, 60_001), (22_050, 16_000, 40_000), (16_000, 22_050, 9_999)])
    func parityWithDirectDefinition(rates: (input: Int, output: Int, count: Int)) throws {
        var generator = SplitMix64(seed: 7)
        let input = (0..<rates.count).map { _ in Float.random(in: -1...1, using: &generator) }
        let output = try SincResampler().resample(input, from: rates.input, to: rates.output)
        let expected = directSincResample(input, from: rates.input, to: rates.output)
        #expect(output.count == expected.count)
        let difference = maximumDifference(output, expected)
        #expect(difference <= Self.tolerance)
        print(
            "[direct \(rates.input) → \(rates.output), \(rates.count) samples] max |Swift − direct| \(difference)"
        )
    }

    @Test(
        "segments of any size give the same samples as one segment over the whole input",
        arguments: [(44_100, 16_000), (22_050, 16_000), (16_000, 22_050), (48_000, 24_000)])
    func segmentsAreInvisible(rates: (Int, Int)) throws {
        var generator = SplitMix64(seed: 8)
        let samples = Tensor.randomNormal([3 * rates.0 + 123], using: &generator).scalars
        let resampler = SincResampler()
        let kernel = resampler.kernel(from: rates.0, to: rates.1)
        let count = SincResampler.outputFrameCount(forInputFrames: samples.count, from: rates.0, to: rates.1)
        let whole = kernel.apply(to: samples, outputCount: count, segmentBlocks: Int.max / 2)
        #expect(try resampler.resample(samples, from: rates.0, to: rates.1) == whole)
        for blocks in [64, 128, 640, 4096] {
            #expect(kernel.apply(to: samples, outputCount: count, segmentBlocks: blocks) == whole, "\(blocks) blocks")
        }
    }

    @Test("equal rates return the input unchanged")
    func equalRatesAreIdentity() throws {
        let input: [Float] = [0.25, -1, 3, .pi, 0]
        #expect(try SincResampler().resample(input, from: 16_000, to: 16_000) == input)
    }

    @Test("empty input gives empty output")
    func emptyInput() throws {
        #expect(try SincResampler().resample([], from: 44_100, to: 16_000).isEmpty)
    }

    @Test(
        "a tone below the new Nyquist keeps its amplitude",
        arguments: [(44_100, 16_000), (22_050, 16_000), (16_000, 22_050), (48_000, 24_000)])
    func toneKeepsAmplitude(rates: (input: Int, output: Int)) throws {
        let input = sine(frequency: 1_000, seconds: 0.5, sampleRate: rates.input)
        let output = try SincResampler().resample(input, from: rates.input, to: rates.output)
        let expected = sine(frequency: 1_000, seconds: 0.5, sampleRate: rates.output)
        #expect(output.count == expected.count)
        // Away from the edges, where the zero padding is within the filter's reach.
        let margin = rates.output / 50
        let middle = margin..<(output.count - margin)
        let peak = output[middle].map(abs).max() ?? 0
        #expect(abs(peak - 0.5) < 0.005)
        #expect(maximumDifference(Array(output[middle]), Array(expected[middle])) < 0.005)
    }

    @Test("a tone above the new Nyquist is removed")
    func toneAboveNyquistIsRemoved() throws {
        let input = sine(frequency: 10_000, seconds: 0.5, sampleRate: 44_100)
        let output = try SincResampler().resample(input, from: 44_100, to: 16_000)
        let middle = output[320..<(output.count - 320)]
        #expect((middle.map(abs).max() ?? 1) < 0.005)
    }

    @Test(
        "torchaudio's filter strength as the documentation states it (tone RMS after 44.1 → 16 kHz)",
        arguments: [(7_000.0, -1.8), (7_700.0, -4.7), (8_500.0, -10.8), (10_000.0, -45.0)])
    func filterStrength(tone: (frequency: Double, decibels: Double)) throws {
        let input = sine(frequency: tone.frequency, seconds: 1, sampleRate: 44_100)
        let output = try SincResampler().resample(input, from: 44_100, to: 16_000)
        func rms(_ values: ArraySlice<Float>) -> Double {
            (values.reduce(0) { $0 + Double($1) * Double($1) } / Double(values.count)).squareRoot()
        }
        let inputRMS = rms(input[4_410..<(input.count - 4_410)])
        let outputRMS = rms(output[1_600..<(output.count - 1_600)])
        let decibels = 20 * log10(outputRMS / inputRMS)
        print("SincResampler \(tone.frequency) Hz after 44.1 → 16 kHz: \(decibels) dB")
        #expect(abs(decibels - tone.decibels) < 0.5)
        if tone.frequency == 10_000 {
            // libsamplerate's best filter, for the comparison the documentation draws.
            let best = try Resampler(quality: .best).resample(input, from: 44_100, to: 16_000)
            let bestDecibels = 20 * log10(rms(best[1_600..<(best.count - 1_600)]) / inputRMS)
            print("Resampler(.best) 10000 Hz after 44.1 → 16 kHz: \(bestDecibels) dB")
            #expect(bestDecibels < -140)
        }
    }

    @Test("rates that are not positive and bad filters throw, naming what is wrong")
    func invalidArgumentsThrow() {
        #expect(throws: ResamplerError.nonPositiveRate(inputRate: 0, outputRate: 16_000)) {
            try SincResampler().resample([1, 2], from: 0, to: 16_000)
        }
        #expect(throws: ResamplerError.nonPositiveRate(inputRate: 44_100, outputRate: -1)) {
            try SincResampler().resample([1, 2], from: 44_100, to: -1)
        }
        #expect(throws: ResamplerError.invalidSincFilter(lowpassFilterWidth: 0, rolloff: 0.99)) {
            try SincResampler(lowpassFilterWidth: 0).resample([1, 2], from: 44_100, to: 16_000)
        }
        #expect(throws: ResamplerError.invalidSincFilter(lowpassFilterWidth: 6, rolloff: 0)) {
            try SincResampler(rolloff: 0).resample([1, 2], from: 44_100, to: 16_000)
        }
        let message = ResamplerError.invalidSincFilter(lowpassFilterWidth: 0, rolloff: 0.99)
            .description
        #expect(message.hasPrefix("[resample]") && message.contains("lowpassFilterWidth 0"))
    }

    /// Found by fuzzing (Fuzz/README.md, target `audio`): a 1.4 KB WAV whose header claims
    /// 4,205,329 Hz, coprime with 16 kHz, made the kernel's padded input a 1.1 GB allocation.
    @Test("rates whose reduced ratio exceeds maximumPeriod throw instead of allocating gigabytes")
    func coprimeRatesThrow() throws {
        let url = try #require(
            Bundle.module.url(forResource: "wav-4205329hz", withExtension: "wav", subdirectory: "Fixtures/fuzz"))
        let clip = try AudioDecoder.read(url, nonFiniteSamples: .replaceWithZero)
        #expect(clip.sampleRate == 4_205_329)
        #expect(throws: ResamplerError.periodTooLong(inputRate: 4_205_329, outputRate: 16_000)) {
            try SincResampler().resample(clip.samples, from: clip.sampleRate, to: 16_000)
        }
        #expect(throws: ResamplerError.periodTooLong(inputRate: 65_537, outputRate: 16_000)) {
            try SincResampler().resample([1, 2], from: 65_537, to: 16_000)
        }
        #expect(throws: ResamplerError.periodTooLong(inputRate: 16_000, outputRate: 65_537)) {
            try SincResampler().resample([1, 2], from: 16_000, to: 65_537)
        }
        // Every rate up to 65.536 kHz, and the usual higher ones, still convert.
        for rate in [65_536, 65_521, 44_101, 96_000, 192_000, 352_800] {
            #expect(try SincResampler().resample([1, 2, 3], from: rate, to: 16_000).count >= 1)
        }
        let message = ResamplerError.periodTooLong(inputRate: 65_537, outputRate: 16_000).description
        #expect(message.hasPrefix("[resample] 65537 Hz to 16000 Hz") && message.contains("65536"))
    }

    @Test("the output length is torchaudio's ceil(new · n / orig)")
    func outputLength() {
        #expect(SincResampler.outputFrameCount(forInputFrames: 37, from: 44_100, to: 16_000) == 14)
        #expect(
            SincResampler.outputFrameCount(forInputFrames: 441, from: 44_100, to: 16_000) == 160)
        #expect(SincResampler.outputFrameCount(forInputFrames: 0, from: 44_100, to: 16_000) == 0)
        #expect(SincResampler.outputFrameCount(forInputFrames: 10, from: 0, to: 16_000) == 0)
    }
}
