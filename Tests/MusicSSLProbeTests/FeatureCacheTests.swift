import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// The feature cache: MARBLE's extraction, stored once per item, reused, recomputed when stale.
@Suite("Feature cache")
struct FeatureCacheTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    static let configuration = EncoderConfiguration(
        convolutionLayers: ConvolutionLayerShape.wav2vec2(channels: 8), modelDimensions: 16, layerCount: 2,
        headCount: 2, feedForwardDimensions: 32, positionalConvolution: .weightNormalized(kernelSize: 8, groupCount: 2),
        dropoutProbability: 0, attentionDropoutProbability: 0, inputDropoutProbability: 0, layerDropProbability: 0)

    func model(seed: UInt64) throws -> EncoderModel {
        var generator = SplitMix64(seed: seed)
        return try EncoderModel(configuration: Self.configuration, using: &generator)
    }

    /// `seconds` of a tone at `rate`, written as 16-bit WAV under the temporary folder.
    func writeTone(_ name: String, seconds: Double, rate: Int, frequency: Double) throws -> URL {
        let url = directory.file(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let samples = (0..<Int(seconds * Double(rate))).map {
            Float(0.3 * sin(2 * .pi * frequency * Double($0) / Double(rate)) + 0.05)
        }
        try AudioEncoder.write(samples, sampleRate: rate, format: .wavPCM16, to: url)
        return url
    }

    @Test("features are MARBLE's: resampled, whole-file z-normalised, windowed, every layer mean-pooled")
    func extraction() throws {
        let encoder = try model(seed: 1)
        // 2.6 s at 22.05 kHz with 1 s windows: windows of 1, 1 and 0.6 s (kept: ≥ the 0.5 s minimum).
        let url = try writeTone("a/tone.wav", seconds: 2.6, rate: 22_050, frequency: 330)
        let builder = try FeatureCacheBuilder(
            model: encoder, directory: directory.file("cache"), windowSeconds: 1, minimumWindowSeconds: 0.5)
        let summary = try builder.build([.init(id: "a/tone.wav", url: url)])
        #expect(summary.computed == 1 && summary.reused == 0 && summary.failed.isEmpty)
        guard case .hit(let cached) = try builder.cache.lookup(item: "a/tone.wav") else {
            Issue.record("no cached features")
            return
        }
        #expect(cached.shape == [3, 3, 16])

        // The same steps by hand.
        let clip = try AudioDecoder.read(url)
        let resampled = try SincResampler().resample(clip.samples, from: 22_050, to: 16_000)
        let mean = resampled.reduce(0, +) / Float(resampled.count)
        let variance = resampled.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(resampled.count)
        let normalized = resampled.map { ($0 - mean) / (variance + 1e-7).squareRoot() }
        let expected = try LayerFeatureExtractor(model: encoder, windowSeconds: 1, minimumWindowSeconds: 0.5)
            .features(of: normalized)
        expectClose(cached, expected, tolerance: 1e-4, "cached features")
        #expect(FileManager.default.fileExists(atPath: directory.file("cache/a/tone.wav.safetensors").path))
    }

    @Test("a second build reuses every item; other weights or a damaged file recompute; bad audio fails alone")
    func reuseAndStaleness() throws {
        let items = [
            FeatureCacheBuilder.Item(id: "one.wav", url: try writeTone("one.wav", seconds: 1.2, rate: 16_000, frequency: 220)),
            FeatureCacheBuilder.Item(id: "two.wav", url: try writeTone("two.wav", seconds: 0.8, rate: 16_000, frequency: 440)),
        ]
        let broken = directory.file("broken.wav")
        try Data("RIFF....WAVEnot audio".utf8).write(to: broken)
        let cacheURL = directory.file("cache")
        let first = try FeatureCacheBuilder(model: model(seed: 1), directory: cacheURL)
        var events: [FeatureCacheBuilder.Event] = []
        let summary = try first.build(items + [.init(id: "broken.wav", url: broken)]) { events.append($0) }
        #expect(summary.computed == 2 && summary.failed.map(\.id) == ["broken.wav"])
        #expect(events.map(\.position) == [1, 2, 3] && events[2].failure != nil)

        let again = try FeatureCacheBuilder(model: model(seed: 1), directory: cacheURL).build(items)
        #expect(again.reused == 2 && again.computed == 0)

        // Another resampler gives other features: another header, recomputed (22.05 kHz audio,
        // where the two filters differ).
        let resampled = [FeatureCacheBuilder.Item(id: "r.wav", url: try writeTone("r.wav", seconds: 1, rate: 22_050, frequency: 220))]
        let torchaudio = try FeatureCacheBuilder(model: model(seed: 1), directory: cacheURL)
        _ = try torchaudio.build(resampled)
        let libsamplerate = try FeatureCacheBuilder(model: model(seed: 1), directory: cacheURL, resampling: .libsamplerate)
        #expect(libsamplerate.cache.header != torchaudio.cache.header)
        #expect(try libsamplerate.build(resampled).replaced.map(\.id) == ["r.wav"])

        // Other weights: the fingerprint differs, so every item is recomputed and replaced.
        let otherModel = try FeatureCacheBuilder(model: model(seed: 2), directory: cacheURL)
        #expect(otherModel.cache.header.modelHash != first.cache.header.modelHash)
        let replaced = try otherModel.build(items)
        #expect(replaced.computed == 2 && replaced.replaced.count == 2)

        // A damaged file is recomputed, not trusted.
        try Data([1, 2, 3]).write(to: cacheURL.appendingPathComponent("one.wav.safetensors"))
        let repaired = try otherModel.build(items)
        #expect(repaired.computed == 1 && repaired.reused == 1 && repaired.replaced.map(\.id) == ["one.wav"])
    }

    @Test("the fingerprint depends on weights and configuration only")
    func fingerprint() throws {
        let a = try model(seed: 1), b = try model(seed: 1)
        #expect(try EncoderFingerprint.of(a) == EncoderFingerprint.of(b))
        let parameter = try #require(b.namedParameters().first?.parameter)
        var scalars = parameter.value.scalars
        scalars[0] += 1e-6
        parameter.value = try Tensor(shape: parameter.shape, scalars: scalars)
        #expect(try EncoderFingerprint.of(a) != EncoderFingerprint.of(b))
    }

    @Test("item ids never leave the cache folder")
    func itemIDs() throws {
        let cache = try FeatureCacheBuilder(model: model(seed: 1), directory: directory.file("cache")).cache
        for id in ["", "/etc/passwd", "../x.wav", "a/../../x.wav", "a//b.wav", "./a.wav"] {
            #expect(throws: FeatureCacheError.invalidItemID(id)) { _ = try cache.url(forItem: id) }
        }
        #expect(try cache.url(forItem: "blues/blues.00000.wav").lastPathComponent == "blues.00000.wav.safetensors")
    }

    @Test("a region item is extracted from its stretch of the file only; a region past the end fails alone")
    func regions() throws {
        let encoder = try model(seed: 3)
        let url = try writeTone("song.wav", seconds: 3, rate: 16_000, frequency: 220)
        let builder = try FeatureCacheBuilder(
            model: encoder, directory: directory.file("cache"), windowSeconds: 1, minimumWindowSeconds: 0.5)
        let region = AudioRegion(startSeconds: 1, durationSeconds: 1.5)
        let summary = try builder.build([
            .init(id: "song.wav#1", url: url, region: region),
            .init(id: "song.wav#9", url: url, region: AudioRegion(startSeconds: 9, durationSeconds: 1)),
        ])
        #expect(summary.computed == 1)
        #expect(summary.failed.map(\.id) == ["song.wav#9"])
        #expect(summary.failed.first?.reason.contains("song.wav") == true)
        guard case .hit(let cached) = try builder.cache.lookup(item: "song.wav#1") else {
            Issue.record("no cached features")
            return
        }
        let samples = Array(try AudioDecoder.read(url).samples[16_000..<40_000])
        let expected = try builder.extractor.features(of: builder.normalization.apply(to: samples))
        #expect(cached.shape == [3, 2, 16])
        expectClose(cached, expected, tolerance: 1e-5, "region features")
    }

    @Test("frame features are stored as float16 by default and read back within half precision")
    func halfPrecisionFrames() throws {
        let encoder = try model(seed: 4)
        let url = try writeTone("frames.wav", seconds: 1.5, rate: 16_000, frequency: 330)
        let frames = try FeatureCacheBuilder(
            model: encoder, directory: directory.file("frames"), windowSeconds: 1, minimumWindowSeconds: 0.2,
            pooling: .none)
        #expect(frames.cache.header.precision == .float16)
        try frames.build([.init(id: "frames.wav", url: url)])
        guard case .hit(let cached) = try frames.cache.lookup(item: "frames.wav") else {
            Issue.record("no cached frames")
            return
        }
        let exact = try frames.features(of: url)
        #expect(cached.shape == exact.shape)
        #expect(cached.scalars == exact.scalars.map { Float(Float16($0)) })
        let pooled = try FeatureCacheBuilder(model: encoder, directory: directory.file("pooled"))
        #expect(pooled.cache.header.precision == .float32)
        let exactFrames = try FeatureCacheBuilder(
            model: encoder, directory: directory.file("frames"), windowSeconds: 1, minimumWindowSeconds: 0.2,
            pooling: .none, precision: .float32)
        #expect(try exactFrames.build([.init(id: "frames.wav", url: url)]).replaced.count == 1)
    }
}
