import Foundation
import MusicSSLCore

/// The frame labels of a labels folder written by `msl kmeans label` (or fairseq's
/// `dump_km_label.py`) as `ClusterTargets` reads them: by corpus-relative path, at the
/// folder's label rate.
///
/// ```swift
/// let labels = try ClusterLabelSource(
///     ClusterLabels(contentsOf: URL(fileURLWithPath: "labels")), labelRate: nil)
/// let model = try MaskedPredictionModel.musicHuBERT(configuration: .tiny, labels: labels, using: &g)
/// ```
public struct ClusterLabelSource: FrameLabelSource {
    /// The labels read.
    public let labels: ClusterLabels
    public let labelRate: Double
    public var clusterCount: Int { labels.clusterCount }

    /// Labels of `labels` at `labelRate` Hz.
    ///
    /// - Parameter labelRate: The rate; nil takes the folder's sidecar rate. When both are known
    ///   they must agree.
    /// - Throws: ``ClusterLabelError`` when the rate is unknown (fairseq labels without a
    ///   sidecar and no rate given) or disagrees with the sidecar.
    public init(_ labels: ClusterLabels, labelRate: Double? = nil) throws {
        let path = labels.root.path
        switch (labels.labelRate, labelRate) {
        case (let stored?, let given?) where Swift.abs(stored - given) > 1e-9:
            throw ClusterLabelError(
                path: path,
                .invalidArgument(
                    "the labels are at \(stored) Hz (\(ClusterLabels.infoFileName(split: labels.split))) "
                        + "but \(given) Hz was expected"))
        case (let stored?, _), (nil, let stored?):
            self.labelRate = stored
        case (nil, nil):
            throw ClusterLabelError(
                path: path,
                .invalidArgument(
                    "the label rate is unknown: no \(ClusterLabels.infoFileName(split: labels.split)) "
                        + "beside the labels and none given (100 Hz for MFCC, 50 Hz for a model layer)"))
        }
        self.labels = labels
    }

    public func labels(forPath path: String) throws -> [Int] {
        guard let ids = labels.labels(forPath: path) else {
            throw ClusterLabelError(
                path: path,
                .invalidArgument(
                    "no labels in \(ClusterLabels.labelFileName(split: labels.split)) "
                        + "(\(labels.clips.count) clips of \(labels.root.path)); label this corpus with "
                        + "`msl kmeans label`"))
        }
        return ids.map(Int.init)
    }

    /// Corpus paths among `paths` that have no labels, in order.
    public func unlabelledPaths(among paths: [String]) -> [String] {
        paths.filter { labels.labels(forPath: $0) == nil }
    }
}
