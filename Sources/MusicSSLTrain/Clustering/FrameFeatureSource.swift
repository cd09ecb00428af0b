import Foundation
import MusicSSLCore

/// Per-frame features of whole audio files, the rows k-means clusters and labels.
///
/// ``MFCCFrameFeatures`` (HuBERT iteration 1) and ``EncoderLayerFeatures`` (iteration 2)
/// conform; a new kind of target conforms the same way.
public protocol FrameFeatureSource {
    /// What the features are, stored in the k-means model.
    var kind: ClusterFeatureKind { get }
    /// Values per frame, D.
    var dimensions: Int { get }
    /// Frames per second: the label rate of labels made from these features.
    var frameRate: Double { get }
    /// The features of one file, decoded whole.
    ///
    /// - Returns: `[frames, dimensions]`.
    /// - Throws: `AudioError` when the file does not decode, or what the feature computation
    ///   throws (for a clip shorter than one frame, for instance).
    func features(of file: AudioCorpus.File) throws -> Tensor
}
