import Foundation
import MusicSSLCore

/// The longest file `audio` decodes whole; longer ones are read in two one-second windows.
let maximumWholeDecodeSeconds = 600.0

/// `audio`: the input as an audio file of any format libsndfile detects, read through
/// ``AudioFileReader`` (libsndfile's virtual I/O) and ``AudioDecoder``, resampled to 16 kHz by
/// ``Resampler`` and ``SincResampler``, and cropped by a ``RandomCropSampler`` over a one-file
/// manifest corpus.
func fuzzAudio(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    let url = Scratch.file("input.audio", bytes)
    let reader = try AudioFileReader(url)
    let info = reader.info
    var clips: [AudioClip] = []
    if info.durationSeconds <= maximumWholeDecodeSeconds {
        clips.append(try reader.read(nonFiniteSamples: .replaceWithZero))
    } else {
        let window = min(info.frameCount, info.sampleRate)
        for start in [0, (info.frameCount - window) / 2] {
            if let clip = try? reader.read(
                startFrame: start, frameCount: window, nonFiniteSamples: .replaceWithZero)
            {
                clips.append(clip)
            }
        }
    }
    for clip in clips {
        _ = try? Resampler().resample(clip.samples, from: clip.sampleRate, to: 16_000)
        _ = try? SincResampler().resample(clip.samples, from: clip.sampleRate, to: 16_000)
    }
    // A window through AudioDecoder and the crop sampler (which resamples what it reads).
    _ = try? AudioDecoder.read(url, startFrame: info.frameCount / 2, frameCount: min(1_024, info.frameCount / 2))
    let manifestText = "\(Scratch.directory.path)\ninput.audio\t\(info.frameCount)\n"
    let manifest = try CorpusManifest(
        parsing: manifestText, manifestURL: Scratch.directory.appendingPathComponent("input.tsv"))
    let corpus = AudioCorpus(manifest: manifest, index: .disabled)
    let sampler = try RandomCropSampler(corpus: corpus, cropSeconds: 1, sampleRate: 16_000)
    var generator = SplitMix64(state: UInt64(bytes.count))
    _ = try? sampler.next(using: &generator)
    _ = try? sampler.crop(fileAt: 0, startFrame: info.frameCount / 3)
}
