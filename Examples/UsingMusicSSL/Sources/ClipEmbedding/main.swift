// A program in another package that imports MusicSSLCore: a clip's embedding, one vector per
// encoder layer (every hidden state mean-pooled over time), from a checkpoint or a freshly
// initialised tiny encoder.
//
//   swift run clip-embedding [--checkpoint CKPT] [AUDIO_FILE]
//
// CKPT is anything MusicSSL imports: msl pretrain's encoder.safetensors, a HuggingFace
// HubertModel / Data2VecAudioModel directory, or a fairseq .pt.

import Foundation
import MusicSSLCore

/// The model: imported from `--checkpoint`, else a random tiny encoder (seed 7).
func loadModel(_ path: String?) throws -> EncoderModel {
    if let path {
        return try EncoderCheckpoint.importEncoder(from: URL(fileURLWithPath: path)).model
    }
    var generator = SplitMix64(seed: 7)
    let model = try EncoderModel(configuration: .tiny, using: &generator)
    model.setTraining(false)
    return model
}

/// The clip at the model's rate: the file, or three seconds of a plucked A3 when none is given.
func loadAudio(_ path: String?, sampleRate: Int) throws -> [Float] {
    guard let path else {
        return (0..<(3 * sampleRate)).map { index in
            let t = Float(index) / Float(sampleRate)
            return (1...6).reduce(0) { sum, harmonic in
                sum + 0.3 / Float(harmonic) * sin(2 * .pi * 220 * Float(harmonic) * t) * exp(-2 * t)
            }
        }
    }
    let clip = try AudioDecoder.read(URL(fileURLWithPath: path))
    return try Resampler().resample(clip.samples, from: clip.sampleRate, to: sampleRate)
}

do {
    var arguments = Array(CommandLine.arguments.dropFirst())
    var checkpoint: String?
    if let flag = arguments.firstIndex(of: "--checkpoint"), flag + 1 < arguments.count {
        checkpoint = arguments[flag + 1]
        arguments.removeSubrange(flag...(flag + 1))
    }
    let model = try loadModel(checkpoint)
    let samples = try loadAudio(arguments.first, sampleRate: model.configuration.sampleRate)
    let embedding = try LayerFeatureExtractor(model: model, pooling: .mean).features(of: samples)
    // [hidden states, windows, dimensions]: one 30-s window for a short clip.
    let layers = embedding.shape[0]
    let dimensions = embedding.shape[2]
    print("clip of \(samples.count) samples → \(layers) hidden states × \(dimensions) dimensions")
    let values = embedding.scalars
    for layer in 0..<layers {
        let row = values[(layer * dimensions)..<((layer + 1) * dimensions)]
        let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
        print(String(format: "  hidden state %2d: ‖mean‖ = %.4f", layer, norm))
    }
} catch {
    FileHandle.standardError.write(Data("clip-embedding: \(error)\n".utf8))
    exit(1)
}
