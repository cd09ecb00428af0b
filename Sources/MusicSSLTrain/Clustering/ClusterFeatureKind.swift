import Foundation
import MusicSSLCore

/// What a k-means model clusters, stored with it so that labelling computes the same features.
///
/// Written as `mfcc39`, `mfcc60`, `checkpoint-layer:6` or `features-file`.
public enum ClusterFeatureKind: Hashable, Sendable, Codable, LosslessStringConvertible {
    /// Kaldi MFCC of 16 kHz audio at 100 frames per second (`MFCCVariant`): HuBERT's
    /// iteration-1 features (39) or MusicHuBERT's 60-dim ablation.
    case mfcc(MFCCVariant)
    /// The hidden state after Transformer layer `n` (0 is the Transformer's input) of an
    /// encoder checkpoint, per frame (50 Hz for the wav2vec 2.0 extractor): HuBERT iteration 2.
    case checkpointLayer(Int)
    /// Rows of a precomputed matrix whose origin k-means does not know.
    case featuresFile

    /// The kind written as in a model file, e.g. `checkpoint-layer:6`.
    public var description: String {
        switch self {
        case .mfcc(.kaldi39): "mfcc39"
        case .mfcc(.kaldi60): "mfcc60"
        case .checkpointLayer(let layer): "checkpoint-layer:\(layer)"
        case .featuresFile: "features-file"
        }
    }

    /// Parses ``description``'s form; nil for anything else.
    public init?(_ description: String) {
        switch description {
        case "mfcc39": self = .mfcc(.kaldi39)
        case "mfcc60": self = .mfcc(.kaldi60)
        case "features-file": self = .featuresFile
        default:
            let prefix = "checkpoint-layer:"
            guard description.hasPrefix(prefix),
                let layer = Int(description.dropFirst(prefix.count)), layer >= 0
            else { return nil }
            self = .checkpointLayer(layer)
        }
    }

    /// Values per frame when the kind fixes them (39 or 60 for MFCC), else nil.
    public var fixedDimensions: Int? {
        if case .mfcc(let variant) = self { return variant.dimensions }
        return nil
    }

    /// Encodes as the ``description`` string.
    public func encode(to encoder: any Swift.Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Decodes the ``description`` string.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let kind = ClusterFeatureKind(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription:
                    "'\(text)' is not mfcc39, mfcc60, checkpoint-layer:N or features-file")
        }
        self = kind
    }
}
