/// Every state a ``TransformerEncoder`` computed.
public struct EncoderOutput {
    /// `layerCount + 1` states of `[batch, frames, dimensions]`, indexed as HuggingFace's
    /// `hidden_states`: `[0]` is the input to the first layer, `[i]` the output of layer i
    /// (for pre-norm encoders the last one after the final layer norm).
    public var hiddenStates: [Tensor]
    /// Each layer's feed-forward output before dropout and residual (fairseq's `layer_result`,
    /// data2vec's teacher targets); `nil` for a layer skipped by layer drop.
    public var feedForwardOutputs: [Tensor?]

    /// The last hidden state.
    public var lastHiddenState: Tensor { hiddenStates[hiddenStates.count - 1] }
}

/// The Transformer encoder of HuBERT / data2vec: positional convolution added to the input,
/// the encoder layer norm (before the layers for post-norm, after them for pre-norm), dropout,
/// then the layers with layer drop; named as HuggingFace's `encoder` (`pos_conv_embed`,
/// `layer_norm`, `layers.{i}`).
public final class TransformerEncoder: Layer {
    /// The positional embedding.
    public let positionalConvolution: any PositionalConvolution
    /// The encoder-level layer norm.
    public let layerNorm: LayerNorm
    /// The Transformer layers.
    public let layers: LayerList<TransformerLayer>
    /// Dropout after the input norm (fairseq `dropout`).
    public let dropout: Dropout
    /// Chance of skipping a layer while training (fairseq `encoder_layerdrop`).
    public let layerDropProbability: Float
    /// Where the layers normalise; decides where ``layerNorm`` sits.
    public let placement: LayerNormPlacement
    public var isTraining = true

    /// Creates the encoder described by `configuration`.
    public init(configuration: EncoderConfiguration, using generator: inout some RandomNumberGenerator) throws {
        let width = configuration.modelDimensions
        switch configuration.positionalConvolution {
        case .weightNormalized(let kernelSize, let groupCount):
            positionalConvolution = try WeightNormalizedPositionalConvolution(
                dimensions: width, kernelSize: kernelSize, groupCount: groupCount, using: &generator)
        case .stacked(let layerCount, let kernelSize, let groupCount):
            positionalConvolution = try StackedPositionalConvolution(
                dimensions: width, layerCount: layerCount, kernelSize: kernelSize, groupCount: groupCount,
                epsilon: configuration.layerNormEpsilon, using: &generator)
        }
        layerNorm = LayerNorm(dimensions: width, epsilon: configuration.layerNormEpsilon)
        layers = LayerList(try (0..<configuration.layerCount).map { _ in
            try TransformerLayer(configuration: configuration.transformerLayer, using: &generator)
        })
        dropout = Dropout(probability: configuration.dropoutProbability)
        layerDropProbability = configuration.layerDropProbability
        placement = configuration.placement
    }

    public var namedSublayers: [(name: String, layer: any Layer)] {
        [("pos_conv_embed", positionalConvolution), ("layer_norm", layerNorm), ("layers", layers), ("dropout", dropout)]
    }

    /// - Parameters:
    ///   - x: `[batch, frames, dimensions]`
    ///   - paddingMask: `batch · frames` flags, row-major, true for padding frames; they are
    ///     zeroed before the positional convolution and never attended to.
    public func callAsFunction(
        _ x: Tensor, paddingMask: [Bool]? = nil, using generator: inout some RandomNumberGenerator
    ) throws -> EncoderOutput {
        guard x.rank == 3, x.shape[2] == layerNorm.dimensions else {
            throw TensorError("TransformerEncoder", "expected [batch, frames, \(layerNorm.dimensions)], got \(x.shape)")
        }
        var h = x
        if let paddingMask {
            guard paddingMask.count == x.shape[0] * x.shape[1] else {
                throw TensorError("TransformerEncoder", "padding mask has \(paddingMask.count) flags for \(x.shape[0])×\(x.shape[1]) frames")
            }
            h = try h.replacingRows(where: paddingMask, with: Tensor.zeros([x.shape[2]]))
        }
        h = try h + positionalConvolution(h)
        if placement == .postNorm { h = try layerNorm(h) }
        h = try dropout(h, using: &generator)

        var hiddenStates = [h]
        var feedForwardOutputs: [Tensor?] = []
        for layer in layers.elements {
            // Layer drop as fairseq: a layer runs unless a uniform draw falls below p.
            if isTraining, layerDropProbability > 0,
               Float(generator.next() >> 40) * 0x1p-24 < layerDropProbability {
                hiddenStates.append(h)
                feedForwardOutputs.append(nil)
                continue
            }
            let output = try layer(h, keyPaddingMask: paddingMask, using: &generator)
            h = output.hiddenStates
            hiddenStates.append(h)
            feedForwardOutputs.append(output.feedForwardOutput)
        }
        if placement == .preNorm {
            hiddenStates[hiddenStates.count - 1] = try layerNorm(h)
        }
        return EncoderOutput(hiddenStates: hiddenStates, feedForwardOutputs: feedForwardOutputs)
    }
}
