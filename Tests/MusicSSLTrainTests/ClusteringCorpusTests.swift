import Foundation
import MusicSSLTestSupport
import Testing

@testable import MusicSSLTrain

/// Fitting on a corpus's features and labelling it, on audio the test writes.
@Suite("k-means on a corpus")
struct ClusteringCorpusTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Four short clips of different character (tones, noise, silence-ish) at two rates.
    func writeCorpus() throws -> AudioCorpus {
        let root = directory.file("corpus")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
        var generator = SplitMix64(seed: 4)
        let noise = Tensor.randomNormal([22_050], using: &generator).scalars
        func tone(_ frequency: Double, rate: Int, seconds: Double) -> [Float] {
            (0..<Int(seconds * Double(rate))).map {
                0.5 * Float(sin(2 * Double.pi * frequency * Double($0) / Double(rate)))
            }
        }
        try AudioEncoder.write(
            tone(220, rate: 16_000, seconds: 1), sampleRate: 16_000, format: .wavPCM16,
            to: root.appendingPathComponent("a.wav"))
        try AudioEncoder.write(
            tone(3_000, rate: 22_050, seconds: 0.8), sampleRate: 22_050, format: .wavFloat,
            to: root.appendingPathComponent("sub/b.wav"))
        try AudioEncoder.write(
            noise.map { 0.3 * $0 }, sampleRate: 22_050, format: .flac,
            to: root.appendingPathComponent("sub/c.flac"))
        try AudioEncoder.write(
            tone(440, rate: 16_000, seconds: 0.5).map { $0 * 0.01 }, sampleRate: 16_000,
            format: .wavPCM16, to: root.appendingPathComponent("d.wav"))
        return try AudioCorpus(scanning: root, index: .disabled)
    }

    @Test("MFCC k-means fitted on a corpus labels each clip at 100 Hz, frames matching the MFCC")
    func fitAndLabel() throws {
        let corpus = try writeCorpus()
        #expect(corpus.files.map(\.path) == ["a.wav", "d.wav", "sub/b.wav", "sub/c.flac"])
        let features = try MFCCFrameFeatures(.kaldi39)
        let fitter = KMeansFitter(
            algorithm: .miniBatch(
                MiniBatchKMeansConfiguration(clusterCount: 6, batchSize: 64, initializationCount: 2)
            ))
        var generator = SplitMix64(seed: 1)
        var clipEvents = 0
        let fit = try fitter.fit(corpus: corpus, features: features, using: &generator) { event in
            if case .clipFeatures = event { clipEvents += 1 }
        }
        #expect(clipEvents == 4 && fit.skipped.isEmpty)
        #expect(fit.model.featureKind == .mfcc(.kaldi39) && fit.model.centroids.shape == [6, 39])
        // 16 kHz frames: 1 s → 98, 0.5 s → 48, 0.8 s and 1 s at 22.05 kHz → 78 and 98.
        #expect(fit.model.fitReport?.sampleCount == 98 + 48 + 78 + 98)

        let labeler = try ClusterLabeler(model: fit.model, features: features)
        let output = directory.file("labels")
        let summary = try labeler.writeLabels(
            for: corpus, split: "train", to: output, modelPath: "km.safetensors")
        #expect(summary.labelledCount == 4 && summary.frameCount == 322 && summary.skipped.isEmpty)
        let labels = try ClusterLabels(contentsOf: output, split: "train")
        #expect(
            labels.labelRate == 100 && labels.clusterCount == 6
                && labels.modelPath == "km.safetensors")
        #expect(labels.root.path == corpus.root.path)
        for file in corpus.files {
            let expected = try fit.model.assign(features.features(of: file))
            #expect(labels.labels(forPath: file.path) == expected)
        }
        #expect(labels.clips.map(\.sampleCount) == corpus.files.map(\.frameCount))
        // The pure tone and the noise end up in different clusters.
        #expect(
            Set(labels.labels(forPath: "a.wav")!).isDisjoint(
                with: Set(labels.labels(forPath: "sub/c.flac")!)))
    }

    @Test(
        "a sampled fraction fits on ⌈fraction × clips⌉ clips; a failing clip is skipped and reported"
    )
    func samplingAndSkipping() throws {
        let corpus = try writeCorpus()
        let features = FailingFeatures(
            base: try MFCCFrameFeatures(.kaldi39), failingPath: "sub/b.wav")
        let fitter = KMeansFitter(
            algorithm: .lloyd(LloydKMeansConfiguration(clusterCount: 3)), sampledFraction: 0.5)
        var generator = SplitMix64(seed: 2)
        var total = 0
        let fit = try fitter.fit(corpus: corpus, features: features, using: &generator) { event in
            if case .clipFeatures(_, let count, _) = event { total = count }
        }
        #expect(total == 2)
        #expect(fit.model.fitReport?.sampledFraction == 0.5)

        let labeler = try ClusterLabeler(model: fit.model, features: features)
        var failures: [SkippedClip] = []
        let summary = try labeler.writeLabels(
            for: corpus, split: "valid", to: directory.file("labels")
        ) { _, _, skipped in
            if let skipped { failures.append(skipped) }
        }
        #expect(summary.labelledCount == 3 && failures.map(\.path) == ["sub/b.wav"])
        #expect(failures.first?.description.contains("cannot decode on purpose") == true)
        let labels = try ClusterLabels(contentsOf: directory.file("labels"), split: "valid")
        #expect(labels.clips.map(\.path) == ["a.wav", "d.wav", "sub/c.flac"])

        #expect(
            throws: KMeansError.invalidArgument("the sampled fraction must be in (0, 1], got 1.5")
        ) {
            var generator = SplitMix64(seed: 0)
            _ = try KMeansFitter(algorithm: .lloyd(.init(clusterCount: 2)), sampledFraction: 1.5)
                .fit(corpus: corpus, features: features, using: &generator)
        }
    }

    @Test("a labeller refuses features of another kind or width")
    func mismatchedFeatures() throws {
        let model = try KMeansModel(centroids: Tensor.zeros([3, 39]), featureKind: .mfcc(.kaldi39))
        #expect(throws: KMeansError.self) {
            try ClusterLabeler(model: model, features: try MFCCFrameFeatures(.kaldi60))
        }
        let layerModel = try KMeansModel(
            centroids: Tensor.zeros([3, 39]), featureKind: .checkpointLayer(3))
        #expect(throws: KMeansError.self) {
            try ClusterLabeler(model: layerModel, features: try MFCCFrameFeatures(.kaldi39))
        }
        _ = try ClusterLabeler(
            model: try KMeansModel(centroids: Tensor.zeros([3, 39])),
            features: try MFCCFrameFeatures(.kaldi39))
    }

    @Test("encoder-layer features are the hidden state of one layer per 20 ms frame")
    func encoderLayer() throws {
        var generator = SplitMix64(seed: 5)
        let configuration = EncoderConfiguration(
            convolutionLayers: ConvolutionLayerShape.wav2vec2(channels: 8), modelDimensions: 16,
            layerCount: 2, headCount: 2, feedForwardDimensions: 32,
            positionalConvolution: .weightNormalized(kernelSize: 4, groupCount: 2))
        let model = try EncoderModel(configuration: configuration, using: &generator)
        let source = try EncoderLayerFeatures(model: model, layer: 1)
        #expect(
            source.frameRate == 50 && source.dimensions == 16 && source.kind == .checkpointLayer(1))
        let samples = (0..<12_000).map { 0.3 * Float(sin(Double($0) * 0.05)) }
        let features = try source.features(of: AudioClip(samples: samples, sampleRate: 16_000))
        #expect(features.shape == [configuration.frameCount(forSampleCount: 12_000), 16])
        let expected = try LayerFeatureExtractor(
            model: model, layers: [1], pooling: .none, windowSeconds: 100
        )
        .features(of: samples)
        expectClose(
            features, try expected.reshaped(to: [expected.shape[1], 16]), tolerance: 1e-5,
            "layer 1 features")
        #expect(throws: KMeansError.self) { try EncoderLayerFeatures(model: model, layer: 3) }
    }
}

/// MFCC features that fail for one path, to exercise skipping.
struct FailingFeatures: FrameFeatureSource {
    let base: MFCCFrameFeatures
    let failingPath: String
    var kind: ClusterFeatureKind { base.kind }
    var dimensions: Int { base.dimensions }
    var frameRate: Double { base.frameRate }

    func features(of file: AudioCorpus.File) throws -> Tensor {
        if file.path == failingPath {
            throw KMeansError.invalidArgument("\(file.path) cannot decode on purpose")
        }
        return try base.features(of: file)
    }
}
