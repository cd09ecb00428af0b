/// The contextual network of a ``MaskedPredictionModel``: projected (and masked) frames in,
/// every layer's state out.
///
/// ``TransformerEncoder`` (HuBERT's and data2vec's) is the built-in one.
public protocol Encoder: Layer {
    /// Width of the frames it takes and returns.
    var modelDimensions: Int { get }
    /// Layers, so `hiddenStates` has `layerCount + 1` entries.
    var layerCount: Int { get }

    /// - Parameters:
    ///   - x: `[batch, frames, modelDimensions]`.
    ///   - paddingMask: `batch · frames` flags, true for padding frames; `nil` when none.
    func callAsFunction(
        _ x: Tensor, paddingMask: [Bool]?, using generator: inout some RandomNumberGenerator
    ) throws -> EncoderOutput
}

extension TransformerEncoder: Encoder {
    /// The width of the layer norm, which is the model width.
    public var modelDimensions: Int { layerNorm.dimensions }
    /// The number of Transformer layers.
    public var layerCount: Int { layers.elements.count }
}
