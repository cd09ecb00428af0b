import ArgumentParser
import Foundation
import MusicSSLTestSupport
import Testing

@testable import msl

/// `msl convert` and `msl info` on checkpoints the tests write: the command must round-trip a
/// model through both formats without changing a weight.
@Suite("msl convert")
struct ConvertCommandTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    func tinyModel() throws -> EncoderModel {
        var generator = SplitMix64(seed: 3)
        let configuration = EncoderConfiguration(
            convolutionLayers: ConvolutionLayerShape.wav2vec2(channels: 8), modelDimensions: 16,
            layerCount: 1,
            headCount: 2, feedForwardDimensions: 32,
            positionalConvolution: .weightNormalized(kernelSize: 4, groupCount: 2))
        return try EncoderModel(configuration: configuration, using: &generator)
    }

    @Test("HF directory → MusicSSL → HF keeps every weight, and info describes both")
    func roundTrip() throws {
        let model = try tinyModel()
        let hf = directory.file("hf")
        try EncoderCheckpoint.exportHuggingFace(model, to: hf)
        let checkpoint = directory.file("model.safetensors").path
        try Convert.parse([hf.path, "-o", checkpoint]).run()
        let back = directory.file("back")
        try Convert.parse([checkpoint, "--to", "hf", "-o", back.path]).run()
        let restored = try EncoderModel(huggingFaceDirectory: back)
        for ((name, original), (_, copy)) in zip(
            model.namedParameters(), restored.namedParameters())
        {
            #expect(original.value.scalars == copy.value.scalars, "\(name) changed")
        }
        let lines = try CheckpointDescription.describe(URL(fileURLWithPath: checkpoint))
        #expect(lines[0].contains("MusicSSL checkpoint; from huggingface \(hf.path)"))
        #expect(lines[2].contains("\(model.parameterCount.formatted()) in"))
        #expect(try CheckpointDescription.describe(back)[0].contains("HuggingFace model directory"))
    }

    @Test("--to musicssl needs a .safetensors output and an existing output needs --overwrite")
    func validation() throws {
        #expect(throws: (any Error).self) { try Convert.parse(["src", "-o", "out.bin"]) }
        let model = try tinyModel()
        let hf = directory.file("hf")
        try EncoderCheckpoint.exportHuggingFace(model, to: hf)
        let checkpoint = directory.file("m.safetensors").path
        try Convert.parse([hf.path, "-o", checkpoint]).run()
        #expect(throws: (any Error).self) { try Convert.parse([hf.path, "-o", checkpoint]).run() }
        try Convert.parse([hf.path, "-o", checkpoint, "--overwrite"]).run()
    }
}
