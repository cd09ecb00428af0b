import MusicSSLCore

/// One HuBERT-base Transformer layer (post-LN, D 768, 12 heads, FFN 3072, dropout 0.1) in
/// training mode on `[batch, frames, 768]`, as the PyTorch reference builds it.
final class LayerBenchmark {
    let batchCount = 8
    let frameCount = 250
    let configuration = TransformerLayerConfiguration(
        modelDimensions: 768, headCount: 12, feedForwardDimensions: 3072,
        dropoutProbability: 0.1, attentionDropoutProbability: 0.1, placement: .postNorm)

    private let layer: TransformerLayer
    private let input: Tensor
    private let upstream: Tensor
    private var generator = SplitMix64(seed: 0)

    /// Builds the layer and its input, then runs one warm-up step (buffer pool and BLAS threads).
    init() throws {
        let shape = [batchCount, frameCount, configuration.modelDimensions]
        layer = try TransformerLayer(configuration: configuration, using: &generator)
        layer.setTraining(true)
        input = Tensor.randomNormal(shape, using: &generator)
        upstream = Tensor.randomNormal(shape, using: &generator)
        _ = try forwardBackward()
    }

    /// GEMM FLOPs of one forward pass: q, k, v and output projections, q·kᵀ and p·v over all
    /// heads, and both feed-forward products. Backward performs twice as many.
    var forwardFLOPs: Double {
        let tokens = Double(batchCount * frameCount)
        let width = Double(configuration.modelDimensions)
        let hidden = Double(configuration.feedForwardDimensions)
        let projections = 4 * 2 * tokens * width * width
        let attention = 2 * 2 * Double(batchCount) * Double(frameCount * frameCount) * width
        let feedForward = 2 * 2 * tokens * width * hidden
        return projections + attention + feedForward
    }

    /// Seconds for one forward pass with the graph recorded, as in a training step.
    func forward() throws -> Double {
        let x = input.requiringGradient()
        return try secondsTaken {
            _ = try layer(x, keyPaddingMask: nil, using: &generator)
        }
    }

    /// Seconds for one forward pass and the backward pass to the input and every parameter.
    func forwardBackward() throws -> Double {
        layer.zeroGradients()
        let x = input.requiringGradient()
        return try secondsTaken {
            let output = try layer(x, keyPaddingMask: nil, using: &generator)
            try output.hiddenStates.backward(upstream)
        }
    }
}
