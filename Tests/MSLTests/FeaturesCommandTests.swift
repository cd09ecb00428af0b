import ArgumentParser
import Foundation
import MusicSSLTestSupport
import Testing

@testable import msl

/// `msl features` end to end on audio the tests write: what it saves must be exactly what the
/// library computes, so the command stays a thin shell over decoding, resampling and the DSP.
@Suite("msl features")
struct FeaturesCommandTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// `seconds` of a C major chord plus a little noise at `sampleRate`, written as `format`.
    private func writeChord(
        _ name: String, seconds: Double, sampleRate: Int, format: AudioFileFormat
    ) throws -> URL {
        var generator = SplitMix64(seed: 5)
        let samples = (0..<Int(seconds * Double(sampleRate))).map { index in
            let time = Double(index) / Double(sampleRate)
            let chord = [261.63, 329.63, 392.0].reduce(0.0) { $0 + 0.2 * sin(2 * .pi * $1 * time) }
            return Float(chord) + Float.random(in: -0.01...0.01, using: &generator)
        }
        let url = directory.file(name)
        try AudioEncoder.write(samples, sampleRate: sampleRate, format: format, to: url)
        return url
    }

    /// The validation message `arguments` get, or nil if they parse.
    private func parsingMessage(_ arguments: [String]) -> String? {
        do {
            _ = try Features.parse(arguments)
            return nil
        } catch {
            return Features.message(for: error)
        }
    }

    @Test("arguments that cannot work are refused with a sentence")
    func validation() {
        #expect(parsingMessage(["mfcc", "-o", "out"])?.contains("at least one audio file") == true)
        #expect(
            parsingMessage(["cqt", "a.wav", "-o", "out", "--variant", "kaldi60"])?
                .contains("applies to mfcc only") == true)
        #expect(
            parsingMessage(["mfcc", "a.wav", "-o", "out", "--sample-rate", "0"])?
                .contains("--sample-rate") == true)
        #expect(parsingMessage(["chroma", "a.wav", "-o", "out"]) != nil)
        #expect(parsingMessage(["mfcc", "a.wav", "-o", "out", "--variant", "librosa"]) == nil)
    }

    @Test("one input writes the library's MFCC-39 to the named .npy file")
    func singleInput() throws {
        let input = try writeChord("chord.wav", seconds: 3, sampleRate: 16_000, format: .wavFloat)
        let output = directory.file("chord.npy")
        try Features.parse(["mfcc", input.path, "-o", output.path]).run()

        let saved = try NumPyArray(contentsOf: output)
        #expect(saved.dtype == .float32)
        let clip = try AudioDecoder.read(input)
        let expected = try KaldiMFCC(.kaldi39)(clip.samples, sampleRate: 16_000)
        #expect(saved.shape == [1 + (48_000 - 400) / 160, 39])
        #expect(saved.tensor().scalars == expected.scalars)
    }

    @Test("many inputs fill a directory, resampled to the feature's rate, bad files skipped")
    func manyInputs() throws {
        let flac = try writeChord("a.flac", seconds: 2, sampleRate: 44_100, format: .flac)
        let wav = try writeChord("b.wav", seconds: 1, sampleRate: 24_000, format: .wavPCM16)
        let bad = directory.file("c.wav")
        try Data("not audio at all".utf8).write(to: bad)
        let out = directory.file("features")
        #expect(throws: ExitCode.failure) {
            try Features.parse(["cqt", flac.path, bad.path, wav.path, "-o", out.path]).run()
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
                == ["a.npy", "b.npy"])

        let cqt = try ConstantQTransform(configuration: .mert)
        let resampled = try Resampler().resample(
            AudioDecoder.read(flac).samples, from: 44_100, to: 24_000)
        let a = try NumPyArray(contentsOf: out.appendingPathComponent("a.npy")).tensor()
        #expect(a.shape == [cqt.configuration.frameCount(sampleCount: resampled.count), 336])
        // The CQT is GEMMs, whose last bits follow OpenBLAS's thread count, and tests running
        // beside this one switch it (attention): equal to rounding, not bit for bit.
        expectClose(a, try cqt(resampled), tolerance: 1e-4, "a.npy")
        let b = try NumPyArray(contentsOf: out.appendingPathComponent("b.npy")).tensor()
        expectClose(b, try cqt(AudioDecoder.read(wav).samples), tolerance: 1e-4, "b.npy")

        // A second run keeps what exists unless told to overwrite.
        #expect(throws: FeatureOutputError.self) {
            try Features.parse(["cqt", flac.path, wav.path, "-o", out.path]).run()
        }
        try Features.parse(["cqt", flac.path, wav.path, "-o", out.path, "--overwrite"]).run()
    }

    @Test("every kind and variant writes [frames, dimensions] at its own rate")
    func kindsAndVariants() throws {
        let input = try writeChord("tone.wav", seconds: 1, sampleRate: 22_050, format: .wavFloat)
        let cases: [(arguments: [String], dimensions: Int)] = [
            (["mfcc", "--variant", "kaldi60"], 60), (["mfcc", "--variant", "librosa"], 20),
            (["fbank"], 23), (["mel"], 128), (["mfcc", "--sample-rate", "8000"], 39),
        ]
        for (index, (arguments, dimensions)) in cases.enumerated() {
            let output = directory.file("out\(index).npy")
            try Features.parse(arguments + [input.path, "-o", output.path]).run()
            let shape = try NumPyArray(contentsOf: output).shape
            #expect(shape.count == 2 && shape[0] > 0 && shape[1] == dimensions, "\(arguments)")
        }
        let librosaMel = try NumPyArray(contentsOf: directory.file("out3.npy")).shape
        #expect(librosaMel[0] == 1 + 22_050 / 512)
    }
}
