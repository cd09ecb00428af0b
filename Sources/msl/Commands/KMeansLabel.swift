import ArgumentParser
import Foundation
import MusicSSLCore
import MusicSSLTrain

/// `msl kmeans label`: cluster labels of every clip of a corpus, in fairseq's form.
struct KMeansLabel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract:
            "Label every clip of a corpus with a k-means model (fairseq .km/.tsv/dict.km.txt).",
        discussion: """
            Computes each clip's features as the model was fitted (its feature kind: MFCC, \
            or the stored checkpoint's layer unless --from-checkpoint names another copy) and \
            writes into the output folder <split>.km (one line of cluster ids per clip), \
            <split>.tsv (the clips in the same order, a fairseq manifest), dict.km.txt \
            ("<id> 1" for 0..K-1) and <split>.km.json (label rate, K, feature kind). Clips \
            that fail to decode are skipped and listed; they are left out of both .km and \
            .tsv, which stay aligned.
            """)

    @Option(help: "The k-means model (.safetensors from msl kmeans fit).")
    var model: String

    @Option(help: "A folder of audio files or a fairseq .tsv manifest.")
    var corpus: String

    @Option(help: "Split name: the stem of the .km and .tsv files.")
    var split = "train"

    @Option(
        help:
            "Encoder checkpoint for a checkpoint-layer model (default: the one it was fitted with)."
    )
    var fromCheckpoint: String?

    @Option(
        help:
            "For a model fitted on a features file: what its rows are (mfcc39, mfcc60, checkpoint-layer)."
    )
    var features: ClusteringFeatureChoice?

    @Option(help: "Hidden-state index, with --features checkpoint-layer.")
    var layer: Int = 6

    @Option(
        help:
            "Window in seconds the encoder runs on, for checkpoint-layer (fairseq: 1.6 M samples = 100 s)."
    )
    var windowSeconds: Double = 100

    @Option(name: .shortAndLong, help: "The labels folder (created if missing).")
    var output: String

    func validate() throws {
        guard !split.isEmpty, !split.contains("/"), !split.hasPrefix(".") else {
            throw ValidationError(
                "--split must be a plain name such as train or valid, got '\(split)'.")
        }
        guard windowSeconds >= 0.05 else {
            throw ValidationError("--window-seconds must be at least 0.05, got \(windowSeconds).")
        }
    }

    func run() throws {
        let modelURL = URL(fileURLWithPath: model)
        let kMeans = try KMeansModel.load(from: modelURL)
        var kind = kMeans.featureKind
        if kind == .featuresFile {
            guard let features else {
                throw ValidationError(
                    "\(model) was fitted on a features file; say what its rows are with --features."
                )
            }
            kind = features.kind(layer: layer)
        }
        let source = try ClusteringInputs.featureSource(
            for: kind, checkpoint: fromCheckpoint ?? kMeans.fitReport?.checkpoint,
            windowSeconds: windowSeconds)
        let labeler = try ClusterLabeler(model: kMeans, features: source)
        let corpus = try ClusteringInputs.openCorpus(corpus)
        let progress = ProgressBar(label: "labels", total: corpus.files.count)
        let summary = try labeler.writeLabels(
            for: corpus, split: split, to: URL(fileURLWithPath: output),
            modelPath: modelURL.standardizedFileURL.path
        ) { _, _, skipped in progress.advance(isFailure: skipped != nil) }
        progress.finish()
        print(
            "\(output): \(split).km with \(summary.labelledCount) clips, \(summary.frameCount) "
                + "labels at \(String(format: "%g", source.frameRate)) Hz (K=\(kMeans.clusterCount), "
                + "\(kind)); \(split).tsv, dict.km.txt")
        ClusteringInputs.reportSkipped(summary.skipped, command: "msl kmeans label")
    }
}
