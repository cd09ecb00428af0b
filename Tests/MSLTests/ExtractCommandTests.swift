import ArgumentParser
import Foundation
import MusicSSLTestSupport
import Testing

@testable import msl

/// `msl extract` on a checkpoint and audio the test writes.
@Suite("msl extract")
struct ExtractCommandTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    func tinyCheckpoint() throws -> (EncoderModel, URL) {
        var generator = SplitMix64(seed: 5)
        let configuration = EncoderConfiguration(
            convolutionLayers: ConvolutionLayerShape.wav2vec2(channels: 8), modelDimensions: 16,
            layerCount: 2, headCount: 2, feedForwardDimensions: 32,
            positionalConvolution: .weightNormalized(kernelSize: 4, groupCount: 2))
        let model = try EncoderModel(configuration: configuration, using: &generator)
        let url = directory.file("tiny.safetensors")
        try EncoderCheckpoint.save(model, to: url)
        return (model, url)
    }

    func sine(seconds: Double, rate: Int) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { 0.4 * Float(sin(2 * Double.pi * 330 * Double($0) / Double(rate))) }
    }

    @Test("pooled features have one vector per window per layer and equal the library's")
    func pooled() throws {
        let (model, checkpoint) = try tinyCheckpoint()
        let audio = directory.file("tone.wav")
        let samples = sine(seconds: 2.5, rate: 16_000)
        try AudioEncoder.write(samples, sampleRate: 16_000, format: .wavFloat, to: audio)
        let output = directory.file("tone.npy")
        try Extract.parse(["--checkpoint", checkpoint.path, "--layers", "0,2", "--window-seconds", "1", audio.path, "-o", output.path]).run()
        let features = try NumPyArray(contentsOf: output).tensor()
        #expect(features.shape == [2, 2, 16])  // the trailing 0.5 s window is under 1 s: dropped
        let expected = try LayerFeatureExtractor(model: model, layers: [0, 2], windowSeconds: 1).features(of: samples)
        // GEMM bits follow OpenBLAS's thread count, which concurrent tests switch.
        expectClose(features, expected, tolerance: 1e-5, "pooled features")
    }

    @Test("unpooled features keep every frame; bad layer lists are refused")
    func frames() throws {
        let (_, checkpoint) = try tinyCheckpoint()
        let audio = directory.file("tone.flac")
        try AudioEncoder.write(sine(seconds: 1, rate: 44_100), sampleRate: 44_100, format: .flac, to: audio)
        let output = directory.file("out")
        try Extract.parse(["--checkpoint", checkpoint.path, "--pool", "none", directory.url.path, "-o", output.path]).run()
        let features = try NumPyArray(contentsOf: output.appendingPathComponent("tone.npy")).tensor()
        #expect(features.shape == [3, 49, 16])
        #expect(throws: (any Error).self) { try Extract.parse(["--checkpoint", "x", "--layers", "1,,2", "a.wav", "-o", "o"]) }
        #expect(throws: (any Error).self) { try Extract.parse(["--checkpoint", "x", "--layers", "-1", "a.wav", "-o", "o"]) }
    }
}
