/// Multi-head self-attention with separate query, key, value and output projections, named as
/// HuggingFace's `HubertAttention` (`q_proj`, `k_proj`, `v_proj`, `out_proj`).
///
/// Padded keys are never attended to; see ``scaledDotProductAttention(query:key:value:keyPaddingMask:scale:dropoutProbability:using:)``.
public final class MultiHeadSelfAttention: Layer {
    /// Query projection.
    public let queryProjection: Linear
    /// Key projection.
    public let keyProjection: Linear
    /// Value projection.
    public let valueProjection: Linear
    /// Output projection.
    public let outputProjection: Linear
    /// Number of heads (12 in base models); each is `modelDimensions / headCount` wide.
    public let headCount: Int
    /// Dropout on attention probabilities (fairseq `attention_dropout`, 0.1 in base models).
    public let dropoutProbability: Float
    public var isTraining = true

    /// Creates an attention block over `modelDimensions`, which `headCount` must divide.
    ///
    /// - Throws: ``TensorError`` when the width is not divisible by the head count.
    public init(
        modelDimensions: Int, headCount: Int, dropoutProbability: Float = 0,
        using generator: inout some RandomNumberGenerator
    ) throws {
        guard headCount > 0, modelDimensions % headCount == 0 else {
            throw TensorError("MultiHeadSelfAttention", "\(modelDimensions) dimensions do not split into \(headCount) heads")
        }
        queryProjection = Linear(inputDimensions: modelDimensions, outputDimensions: modelDimensions, using: &generator)
        keyProjection = Linear(inputDimensions: modelDimensions, outputDimensions: modelDimensions, using: &generator)
        valueProjection = Linear(inputDimensions: modelDimensions, outputDimensions: modelDimensions, using: &generator)
        outputProjection = Linear(inputDimensions: modelDimensions, outputDimensions: modelDimensions, using: &generator)
        self.headCount = headCount
        self.dropoutProbability = dropoutProbability
    }

    public var namedSublayers: [(name: String, layer: any Layer)] {
        [("q_proj", queryProjection), ("k_proj", keyProjection), ("v_proj", valueProjection),
         ("out_proj", outputProjection)]
    }

    /// - Parameters:
    ///   - x: `[batch, frames, modelDimensions]`
    ///   - keyPaddingMask: `batch · frames` flags, row-major, true where a frame is padding.
    /// - Returns: `[batch, frames, modelDimensions]`
    public func callAsFunction(
        _ x: Tensor, keyPaddingMask: [Bool]? = nil, using generator: inout some RandomNumberGenerator
    ) throws -> Tensor {
        let width = queryProjection.inputDimensions
        guard x.rank == 3, x.shape[2] == width else {
            throw TensorError("MultiHeadSelfAttention", "expected [batch, frames, \(width)], got \(x.shape)")
        }
        let (batch, frames) = (x.shape[0], x.shape[1])
        if let keyPaddingMask, keyPaddingMask.count != batch * frames {
            throw TensorError("MultiHeadSelfAttention", "key padding mask has \(keyPaddingMask.count) entries for \(batch)×\(frames) frames")
        }
        func heads(_ projection: Linear) throws -> Tensor {
            try projection(x).reshaped(to: [batch, frames, headCount, width / headCount]).permuted([0, 2, 1, 3])  // [B, H, T, D/H]
        }
        let attended = try scaledDotProductAttention(
            query: heads(queryProjection), key: heads(keyProjection), value: heads(valueProjection),
            keyPaddingMask: keyPaddingMask, dropoutProbability: isTraining ? dropoutProbability : 0,
            using: &generator)
        let merged = try attended.permuted([0, 2, 1, 3]).reshaped(to: [batch, frames, width])  // [B, T, D]
        return try outputProjection(merged)
    }
}
