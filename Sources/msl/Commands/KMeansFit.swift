import ArgumentParser
import Foundation
import MusicSSLCore
import MusicSSLTrain

/// `msl kmeans fit`: k-means on the frame features of a corpus or a precomputed matrix.
struct KMeansFit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit k-means on frame features and save the centroids as .safetensors.",
        discussion: """
            Features come from a corpus (a folder of audio, searched recursively, or a \
            fairseq .tsv manifest), computed per clip: mfcc39 or mfcc60 (Kaldi MFCC with \
            deltas of 16 kHz audio, 100 frames/s) or checkpoint-layer (the hidden state after \
            --layer of --from-checkpoint, 50 frames/s). Or from --features-file, a float32 \
            [N, D] .npy; --features then says what its rows are (default: unknown).

            The default algorithm is mini-batch k-means with the parameters fairseq's \
            learn_kmeans.py gives scikit-learn's MiniBatchKMeans (k-means++, batch 10000, \
            max_iter 100, n_init 20, max_no_improvement 100, tol 0, reassignment_ratio 0); \
            --algorithm lloyd runs full k-means. --percent samples that fraction of the clips \
            (or rows) first, as learn_kmeans.py --percent. Clips that fail to decode are \
            skipped and listed.
            """)

    @Option(help: "A folder of audio files or a fairseq .tsv manifest.")
    var corpus: String?

    @Option(
        help:
            "mfcc39, mfcc60 or checkpoint-layer (default mfcc39; with --features-file, what its rows are)."
    )
    var features: ClusteringFeatureChoice?

    @Option(
        help: "Encoder checkpoint for checkpoint-layer features (MusicSSL, HuggingFace or fairseq)."
    )
    var fromCheckpoint: String?

    @Option(help: "Hidden-state index for checkpoint-layer (0 is the Transformer's input).")
    var layer: Int = 6

    @Option(
        help:
            "Window in seconds the encoder runs on, for checkpoint-layer (fairseq: 1.6 M samples = 100 s)."
    )
    var windowSeconds: Double = 100

    @Option(help: "A float32 [N, D] .npy of precomputed features, instead of --corpus.")
    var featuresFile: String?

    @Option(name: [.customShort("k"), .customLong("clusters")], help: "Number of clusters K.")
    var clusterCount: Int = 500

    @Option(
        help: "Fraction of clips (or rows) to fit on, in (0, 1]; -1 for all (fairseq's --percent).")
    var percent: Double = -1

    @Option(help: "Seed of the random generator.")
    var seed: UInt64 = 0

    @Option(help: "minibatch (fairseq's MiniBatchKMeans) or lloyd (full k-means).")
    var algorithm: ClusteringAlgorithmChoice = .minibatch

    @Option(help: "Mini-batch size (batch_size).")
    var batchSize: Int = 10_000

    @Option(help: "Passes over the data (max_iter; mini-batch default 100, Lloyd 300).")
    var maxIter: Int?

    @Option(help: "k-means++ seedings to try (n_init; mini-batch default 20, Lloyd 1).")
    var nInit: Int?

    @Option(
        help:
            "Mini-batch early stop after this many steps without improvement (max_no_improvement).")
    var maxNoImprovement: Int = 100

    @Option(name: .shortAndLong, help: "The k-means model file to write (.safetensors).")
    var output: String

    @Flag(help: "Replace the output file if it exists.")
    var overwrite = false

    func validate() throws {
        guard (corpus == nil) != (featuresFile == nil) else {
            throw ValidationError("Give either --corpus or --features-file.")
        }
        guard clusterCount >= 1 else {
            throw ValidationError("-k must be positive, got \(clusterCount).")
        }
        guard percent == -1 || (percent > 0 && percent <= 1) else {
            throw ValidationError("--percent must be in (0, 1] or -1 for all, got \(percent).")
        }
        if features == .checkpointLayer, featuresFile == nil, fromCheckpoint == nil {
            throw ValidationError("--features checkpoint-layer needs --from-checkpoint CKPT.")
        }
        if fromCheckpoint != nil, features != .checkpointLayer {
            throw ValidationError("--from-checkpoint goes with --features checkpoint-layer.")
        }
        guard layer >= 0 else { throw ValidationError("--layer must be ≥ 0, got \(layer).") }
        guard windowSeconds >= 0.05 else {
            throw ValidationError("--window-seconds must be at least 0.05, got \(windowSeconds).")
        }
        try ClusteringAlgorithmChoice.validate(
            batchSize: batchSize, maxIter: maxIter, nInit: nInit, maxNoImprovement: maxNoImprovement
        )
    }

    /// The algorithm with the options applied.
    func kMeansAlgorithm() -> KMeansAlgorithm {
        switch algorithm {
        case .minibatch:
            var configuration = MiniBatchKMeansConfiguration(
                clusterCount: clusterCount, batchSize: batchSize,
                maximumStepsWithoutImprovement: maxNoImprovement)
            if let maxIter { configuration.maximumIterations = maxIter }
            if let nInit { configuration.initializationCount = nInit }
            return .miniBatch(configuration)
        case .lloyd:
            var configuration = LloydKMeansConfiguration(clusterCount: clusterCount)
            if let maxIter { configuration.maximumIterations = maxIter }
            if let nInit { configuration.initializationCount = nInit }
            return .lloyd(configuration)
        }
    }

    func run() throws {
        let outputURL = URL(fileURLWithPath: output)
        if !overwrite, FileManager.default.fileExists(atPath: outputURL.path) {
            throw ValidationError("\(output) exists; pass --overwrite to replace it.")
        }
        let fitter = KMeansFitter(
            algorithm: kMeansAlgorithm(), sampledFraction: percent == -1 ? nil : percent)
        var generator = SplitMix64(seed: seed)
        let progress = ClusteringProgress()
        let started = ProgressBar.uptimeSeconds()
        var model: KMeansModel
        var skipped: [SkippedClip] = []
        if let featuresFile {
            let matrix = try NumPyArray(contentsOf: URL(fileURLWithPath: featuresFile)).tensor()
            let kind = features.map { $0.kind(layer: layer) } ?? .featuresFile
            model = try fitter.fit(
                matrix: matrix, kind: kind, source: featuresFile, using: &generator,
                progress: progress.fit)
        } else if let corpus {
            let corpus = try ClusteringInputs.openCorpus(corpus)
            let choice = features ?? .mfcc39
            let source = try ClusteringInputs.featureSource(
                for: choice.kind(layer: layer), checkpoint: fromCheckpoint,
                windowSeconds: windowSeconds)
            let fit = try fitter.fit(
                corpus: corpus, features: source, using: &generator, events: progress.handle)
            model = fit.model
            skipped = fit.skipped
        } else {
            throw ValidationError("Give either --corpus or --features-file.")
        }
        progress.finish()
        model.fitReport?.seed = seed
        if case .checkpointLayer = model.featureKind, let fromCheckpoint {
            model.fitReport?.checkpoint =
                URL(fileURLWithPath: fromCheckpoint).standardizedFileURL.path
        }
        try FileManager.default.createDirectory(
            at: outputURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try model.save(to: outputURL)
        print(summary(model, seconds: ProgressBar.uptimeSeconds() - started))
        ClusteringInputs.reportSkipped(skipped, command: "msl kmeans fit")
    }

    private func summary(_ model: KMeansModel, seconds: Double) -> String {
        var text =
            "\(output): K=\(model.clusterCount), D=\(model.dimensions) (\(model.featureKind))"
        if let report = model.fitReport {
            let steps = report.algorithm.name == "lloyd" ? "iterations" : "steps"
            text +=
                ", \(report.algorithm.name) on \(report.sampleCount) frames: "
                + "\(report.iterationCount) \(steps) (\(report.stopReason.rawValue)), "
                + "mean inertia \(String(format: "%.4f", report.meanInertia)), "
                + String(format: "%.1f s", seconds)
        }
        return text
    }
}
