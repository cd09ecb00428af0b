import ArgumentParser
import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

@testable import msl

/// `msl kmeans fit` and `msl kmeans label` end to end on audio the test writes.
@Suite("msl kmeans")
struct KMeansCommandTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Five 1 s clips (tones of different pitch plus a little noise, at 16 and 44.1 kHz) and one
    /// file that does not decode.
    func writeCorpus() throws -> URL {
        let root = directory.file("music")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("live"), withIntermediateDirectories: true)
        var generator = SplitMix64(seed: 8)
        for (index, frequency) in [110.0, 440.0, 1_760.0, 3_520.0, 660.0].enumerated() {
            let rate = index.isMultiple(of: 2) ? 16_000 : 44_100
            let noise = Tensor.randomNormal([rate], using: &generator).scalars
            let samples = (0..<rate).map {
                0.4 * Float(sin(2 * Double.pi * frequency * Double($0) / Double(rate))) + 0.01
                    * noise[$0]
            }
            let name = index < 3 ? "clip\(index).wav" : "live/clip\(index).flac"
            try AudioEncoder.write(
                samples, sampleRate: rate, format: index < 3 ? .wavPCM16 : .flac,
                to: root.appendingPathComponent(name))
        }
        try Data("RIFF....WAVEfmt nothing else".utf8).write(
            to: root.appendingPathComponent("broken.wav"))
        return root
    }

    @Test("fit then label writes a model and fairseq label files that match the library")
    func fitAndLabel() throws {
        let corpus = try writeCorpus()
        let model = directory.file("km.safetensors")
        try KMeansFit.parse([
            "--corpus", corpus.path, "--features", "mfcc39", "-k", "6", "--seed", "3",
            "--batch-size", "128", "--n-init", "2", "-o", model.path,
        ]).run()
        let kMeans = try KMeansModel.load(from: model)
        #expect(kMeans.centroids.shape == [6, 39] && kMeans.featureKind == .mfcc(.kaldi39))
        let report = try #require(kMeans.fitReport)
        #expect(
            report.seed == 3 && report.sampleCount == 5 * 98 && report.algorithm.name == "minibatch"
        )
        if case .miniBatch(let configuration) = report.algorithm {
            #expect(configuration.batchSize == 128 && configuration.initializationCount == 2)
            #expect(
                configuration.maximumIterations == 100
                    && configuration.maximumStepsWithoutImprovement == 100)
        }

        let labels = directory.file("labels")
        try KMeansLabel.parse(["--model", model.path, "--corpus", corpus.path, "-o", labels.path])
            .run()
        let read = try ClusterLabels(contentsOf: labels, split: "train")
        #expect(
            read.clips.map(\.path) == [
                "clip0.wav", "clip1.wav", "clip2.wav", "live/clip3.flac", "live/clip4.flac",
            ])
        #expect(read.clips.allSatisfy { $0.labels.count == 98 })
        #expect(read.labelRate == 100 && read.clusterCount == 6)
        let features = try MFCCFrameFeatures(.kaldi39)
        let file = try AudioCorpus(scanning: corpus, index: .disabled).files[3]
        #expect(read.labels(forPath: file.path) == (try kMeans.assign(features.features(of: file))))
        // The same seed gives the same model.
        let again = directory.file("again.safetensors")
        try KMeansFit.parse([
            "--corpus", corpus.path, "-k", "6", "--seed", "3", "--batch-size", "128", "--n-init",
            "2",
            "-o", again.path,
        ]).run()
        #expect(try KMeansModel.load(from: again).centroids.scalars == kMeans.centroids.scalars)
    }

    @Test(
        "a features file fits with Lloyd and a sampled fraction; its model labels a corpus once told the kind"
    )
    func featuresFile() throws {
        let corpus = try writeCorpus()
        var generator = SplitMix64(seed: 1)
        let matrix = directory.file("features.npy")
        try NumPyWriter.write(Tensor.randomNormal([400, 39], using: &generator), to: matrix)
        let model = directory.file("km.safetensors")
        try KMeansFit.parse([
            "--features-file", matrix.path, "-k", "4", "--algorithm", "lloyd", "--percent", "0.5",
            "-o", model.path,
        ]).run()
        let kMeans = try KMeansModel.load(from: model)
        #expect(kMeans.featureKind == .featuresFile)
        #expect(kMeans.fitReport?.sampleCount == 200 && kMeans.fitReport?.algorithm.name == "lloyd")
        #expect(kMeans.fitReport?.source == matrix.path)

        let labels = directory.file("labels")
        #expect(throws: (any Error).self) {
            try KMeansLabel.parse([
                "--model", model.path, "--corpus", corpus.path, "-o", labels.path,
            ]).run()
        }
        try KMeansLabel.parse([
            "--model", model.path, "--corpus", corpus.path, "--features", "mfcc39", "--split",
            "valid",
            "-o", labels.path,
        ]).run()
        #expect(try ClusterLabels(contentsOf: labels, split: "valid").clips.count == 5)
        // An existing model is kept unless --overwrite is given.
        #expect(throws: (any Error).self) {
            try KMeansFit.parse(["--features-file", matrix.path, "-k", "4", "-o", model.path]).run()
        }
    }

    @Test("checkpoint-layer features cluster an encoder's layer at 50 Hz")
    func checkpointLayer() throws {
        let corpus = try writeCorpus()
        var generator = SplitMix64(seed: 5)
        let configuration = EncoderConfiguration(
            convolutionLayers: ConvolutionLayerShape.wav2vec2(channels: 8), modelDimensions: 16,
            layerCount: 2, headCount: 2, feedForwardDimensions: 32,
            positionalConvolution: .weightNormalized(kernelSize: 4, groupCount: 2))
        let checkpoint = directory.file("encoder.safetensors")
        try EncoderCheckpoint.save(
            try EncoderModel(configuration: configuration, using: &generator), to: checkpoint)
        let model = directory.file("km2.safetensors")
        try KMeansFit.parse([
            "--corpus", corpus.path, "--features", "checkpoint-layer", "--from-checkpoint",
            checkpoint.path,
            "--layer", "2", "-k", "3", "--batch-size", "64", "--n-init", "1", "-o", model.path,
        ]).run()
        let kMeans = try KMeansModel.load(from: model)
        #expect(kMeans.featureKind == .checkpointLayer(2) && kMeans.dimensions == 16)
        #expect(kMeans.fitReport?.checkpoint == checkpoint.standardizedFileURL.path)
        let labels = directory.file("labels")
        try KMeansLabel.parse(["--model", model.path, "--corpus", corpus.path, "-o", labels.path])
            .run()
        let read = try ClusterLabels(contentsOf: labels, split: "train")
        #expect(read.labelRate == 50 && read.clips.allSatisfy { $0.labels.count == 49 })
        // Shorter windows are joined: two 0.5 s windows give 2 × 24 frames instead of 49.
        try KMeansLabel.parse([
            "--model", model.path, "--corpus", corpus.path, "--window-seconds", "0.5", "-o",
            labels.path,
        ]).run()
        let windowed = try ClusterLabels(contentsOf: labels, split: "train")
        #expect(windowed.clips.allSatisfy { $0.labels.count == 48 })
    }

    @Test("bad option combinations are refused with a sentence")
    func validation() throws {
        #expect(throws: (any Error).self) { try KMeansFit.parse(["-k", "4", "-o", "x"]) }
        #expect(throws: (any Error).self) {
            try KMeansFit.parse(["--corpus", "a", "--features-file", "b.npy", "-o", "x"])
        }
        #expect(throws: (any Error).self) {
            try KMeansFit.parse(["--corpus", "a", "--features", "checkpoint-layer", "-o", "x"])
        }
        #expect(throws: (any Error).self) {
            try KMeansFit.parse(["--corpus", "a", "--percent", "0", "-o", "x"])
        }
        #expect(throws: (any Error).self) {
            try KMeansFit.parse(["--corpus", "a", "-k", "0", "-o", "x"])
        }
        #expect(throws: (any Error).self) {
            try KMeansFit.parse(["--corpus", "a", "--features", "chroma", "-o", "x"])
        }
        #expect(throws: (any Error).self) {
            try KMeansLabel.parse(["--model", "m", "--corpus", "c", "--split", "../x", "-o", "o"])
        }
        let help = KMeans.helpMessage()
        #expect(help.contains("fit") && help.contains("label"))
    }
}
