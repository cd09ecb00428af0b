/// Layer norm, linear projection from the extractor's channels to the model width, dropout;
/// named as HuggingFace's `feature_projection` (`layer_norm`, `projection`).
public final class FeatureProjection: Layer {
    /// Norm over the extractor's channels (fairseq `layer_norm`).
    public let layerNorm: LayerNorm
    /// Projection to the model width (fairseq `post_extract_proj`).
    public let projection: Linear
    /// Dropout after the projection (fairseq `dropout_input`).
    public let dropout: Dropout
    public var isTraining = true

    /// Creates a projection from `inputDimensions` extractor channels to `outputDimensions`.
    public init(
        inputDimensions: Int, outputDimensions: Int, dropoutProbability: Float, epsilon: Float = 1e-5,
        using generator: inout some RandomNumberGenerator
    ) {
        layerNorm = LayerNorm(dimensions: inputDimensions, epsilon: epsilon)
        projection = Linear(inputDimensions: inputDimensions, outputDimensions: outputDimensions, using: &generator)
        dropout = Dropout(probability: dropoutProbability)
    }

    public var namedSublayers: [(name: String, layer: any Layer)] {
        [("layer_norm", layerNorm), ("projection", projection), ("dropout", dropout)]
    }

    /// - Parameter features: `[batch, frames, inputDimensions]`
    /// - Returns: `[batch, frames, outputDimensions]`
    public func callAsFunction(_ features: Tensor, using generator: inout some RandomNumberGenerator) throws -> Tensor {
        try dropout(projection(layerNorm(features)), using: &generator)
    }
}
