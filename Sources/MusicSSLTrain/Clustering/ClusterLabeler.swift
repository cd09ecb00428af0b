import Foundation
import MusicSSLCore

/// Labels clips with a ``KMeansModel``: each clip's frame features (from the same
/// ``FrameFeatureSource`` kind the model was fitted on) go to their nearest centroid, and a
/// whole corpus is written as a ``ClusterLabels`` split, streaming one clip at a time.
///
/// ```swift
/// let model = try KMeansModel.load(from: URL(fileURLWithPath: "km.safetensors"))
/// let labeler = try ClusterLabeler(model: model, features: try MFCCFrameFeatures(.kaldi39))
/// let summary = try labeler.writeLabels(for: corpus, split: "train", to: labelsFolder)
/// ```
public struct ClusterLabeler {
    /// The centroids.
    public let model: KMeansModel
    /// How each clip's features are computed.
    public let features: any FrameFeatureSource

    /// What ``writeLabels(for:split:to:modelPath:progress:)`` wrote.
    public struct Summary {
        /// Clips labelled (lines of the `.km` file).
        public let labelledCount: Int
        /// Label frames written in all.
        public let frameCount: Int
        /// Clips that could not be labelled and are missing from the split.
        public let skipped: [SkippedClip]
    }

    /// Pairs a model with the features it clusters.
    ///
    /// - Throws: ``KMeansError/invalidArgument(_:)`` when the features' width differs from the
    ///   model's, or their kind differs from the one the model was fitted on (a model fitted on
    ///   a features file accepts any kind of the right width).
    public init(model: KMeansModel, features: any FrameFeatureSource) throws {
        guard features.dimensions == model.dimensions else {
            throw KMeansError.invalidArgument(
                "the model clusters \(model.dimensions)-dim features (\(model.featureKind)), "
                    + "but \(features.kind) features have \(features.dimensions)")
        }
        guard model.featureKind == .featuresFile || model.featureKind == features.kind else {
            throw KMeansError.invalidArgument(
                "the model was fitted on \(model.featureKind) features, not \(features.kind)")
        }
        self.model = model
        self.features = features
    }

    /// The cluster id of each feature frame of `file`, at ``FrameFeatureSource/frameRate``.
    ///
    /// - Throws: the feature source's errors (decoding, too short a clip).
    public func labels(of file: AudioCorpus.File) throws -> [Int32] {
        try model.assign(features.features(of: file))
    }

    /// Labels every clip of `corpus` and writes `<split>.km`, `<split>.tsv`,
    /// `<split>.km.json` and `dict.km.txt` into `directory` (created if missing).
    ///
    /// Clips whose features fail are left out of both the labels and the manifest, so the two
    /// stay aligned, and are listed in the summary. Each file is written atomically.
    ///
    /// - Parameters:
    ///   - modelPath: The model's file, recorded in the sidecar.
    ///   - progress: Called after each clip with the count done, the total and the clip's
    ///     failure, if any.
    /// - Throws: ``ClusterLabelError`` when a file cannot be written.
    public func writeLabels(
        for corpus: AudioCorpus, split: String, to directory: URL, modelPath: String? = nil,
        progress: ((_ completed: Int, _ total: Int, _ skipped: SkippedClip?) -> Void)? = nil
    ) throws -> Summary {
        // Validates the split name before anything is written.
        _ = try ClusterLabels(
            split: split, root: corpus.root, clips: [], clusterCount: model.clusterCount,
            labelRate: features.frameRate)
        let files = ClusterLabelFiles(directory: directory, split: split)
        try files.createDirectory()
        var listed: [(path: String, sampleCount: Int)] = []
        var skipped: [SkippedClip] = []
        var frameCount = 0
        try files.writeLabels { append in
            for (position, file) in corpus.files.enumerated() {
                var failure: SkippedClip?
                let labels: [Int32]?
                do {
                    labels = try self.labels(of: file)
                } catch {
                    labels = nil
                    let clip = SkippedClip(path: file.path, reason: "\(error)")
                    failure = clip
                    skipped.append(clip)
                }
                if let labels {
                    // A write failure ends the whole run; only feature failures skip a clip.
                    try append(labels)
                    listed.append((file.path, file.frameCount))
                    frameCount += labels.count
                }
                progress?(position + 1, corpus.files.count, failure)
            }
        }
        try files.writeManifest(root: corpus.root, clips: listed)
        try files.writeDictionary(clusterCount: model.clusterCount)
        try files.writeInfo(
            ClusterLabelInfo(
                labelRate: features.frameRate, clusterCount: model.clusterCount,
                featureKind: features.kind.description, model: modelPath))
        return Summary(labelledCount: listed.count, frameCount: frameCount, skipped: skipped)
    }
}
