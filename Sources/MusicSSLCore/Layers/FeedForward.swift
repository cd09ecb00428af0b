/// The position-wise feed-forward block `output_dense(dropout(GELU(intermediate_dense(x))))`,
/// named as HuggingFace's `HubertFeedForward`.
public final class FeedForward: Layer {
    /// First projection, `modelDimensions → feedForwardDimensions` (fairseq `fc1`).
    public let intermediateDense: Linear
    /// Second projection, `feedForwardDimensions → modelDimensions` (fairseq `fc2`).
    public let outputDense: Linear
    /// Dropout after the activation (fairseq `activation_dropout`, 0 in every pre-training config).
    public let activationDropout: Dropout
    public var isTraining = true

    /// Creates a block of width `modelDimensions` with hidden width `feedForwardDimensions`.
    public init(
        modelDimensions: Int, feedForwardDimensions: Int, activationDropoutProbability: Float = 0,
        using generator: inout some RandomNumberGenerator
    ) {
        intermediateDense = Linear(inputDimensions: modelDimensions, outputDimensions: feedForwardDimensions, using: &generator)
        outputDense = Linear(inputDimensions: feedForwardDimensions, outputDimensions: modelDimensions, using: &generator)
        activationDropout = Dropout(probability: activationDropoutProbability)
    }

    public var namedSublayers: [(name: String, layer: any Layer)] {
        [("intermediate_dense", intermediateDense), ("intermediate_dropout", activationDropout),
         ("output_dense", outputDense)]
    }

    /// - Parameter x: `[..., modelDimensions]`
    /// - Returns: `[..., modelDimensions]`, the block's output before any residual.
    public func callAsFunction(_ x: Tensor, using generator: inout some RandomNumberGenerator) throws -> Tensor {
        try outputDense(activationDropout(intermediateDense(x).gelu(), using: &generator))
    }
}
