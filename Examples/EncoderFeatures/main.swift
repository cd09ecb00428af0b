// An example of MusicSSL used as a library: decode an audio file (or synthesise a chord),
// compute HuBERT's MFCC-39 labels' input features, and run a small encoder over the clip to get
// every layer's hidden states.
//
//   swift run -c release encoder-features [AUDIO_FILE]

import Foundation
import MusicSSLCore

func loadAudio(_ arguments: [String], sampleRate: Int) throws -> [Float] {
    guard let path = arguments.first else {
        // Two seconds of an A-minor chord when no file is given.
        return (0..<(2 * sampleRate)).map { index in
            let t = Float(index) / Float(sampleRate)
            return [220, 261.63, 329.63].reduce(0) { $0 + 0.2 * sin(2 * Float.pi * $1 * t) }
        }
    }
    let clip = try AudioDecoder.read(URL(fileURLWithPath: path))
    print("decoded \(path): \(clip.samples.count) samples at \(clip.sampleRate) Hz")
    return try Resampler().resample(clip.samples, from: clip.sampleRate, to: sampleRate)
}

do {
    var generator = SplitMix64(seed: 42)
    let model = try EncoderModel(configuration: .tiny, using: &generator)
    let samples = try loadAudio(Array(CommandLine.arguments.dropFirst()), sampleRate: model.configuration.sampleRate)

    let mfcc = try KaldiMFCC(.kaldi39)(samples, sampleRate: model.configuration.sampleRate)
    print("MFCC-39 (HuBERT's first-iteration label features): \(mfcc.shape)")

    let extractor = LayerFeatureExtractor(model: model, pooling: .none)
    let features = try extractor.features(of: samples)
    print("hidden states of a random tiny encoder (\(model.parameterCount) parameters): \(features.shape)")
    print("  [layers, frames, dimensions]; frames = ⌊(samples − 400) / 320⌋ + 1 = "
          + "\(model.configuration.frameCount(forSampleCount: samples.count))")
} catch {
    FileHandle.standardError.write(Data("encoder-features: \(error)\n".utf8))
    exit(1)
}
