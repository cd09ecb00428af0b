/// The norm after one feature-extractor convolution, if any.
enum FeatureExtractorNorm {
    /// Per-channel group norm over time, `GroupNorm(C, C)` (HuBERT's first layer).
    case group(GroupNorm)
    /// Layer norm over channels at each frame (data2vec's every layer).
    case layer(LayerNorm)
}

/// One block of the feature extractor: convolution (no bias), optional norm, exact GELU.
/// Named as HuggingFace's `HubertGroupNormConvLayer` / `Data2VecAudioConvLayer`
/// (`conv`, `layer_norm`).
public final class FeatureExtractorConvLayer: Layer {
    /// The convolution, without bias.
    public let convolution: Conv1d
    let norm: FeatureExtractorNorm?
    public var isTraining = true

    init(
        inputChannels: Int, shape: ConvolutionLayerShape, norm: FeatureExtractorNorm?,
        using generator: inout some RandomNumberGenerator
    ) {
        convolution = Conv1d(
            inputChannels: inputChannels, outputChannels: shape.channels, kernelSize: shape.kernelSize,
            stride: shape.stride, usesBias: false, using: &generator)
        self.norm = norm
    }

    public var namedSublayers: [(name: String, layer: any Layer)] {
        switch norm {
        case .group(let groupNorm): [("conv", convolution), ("layer_norm", groupNorm)]
        case .layer(let layerNorm): [("conv", convolution), ("layer_norm", layerNorm)]
        case nil: [("conv", convolution)]
        }
    }

    /// Runs the block on channels-last frames (``conv1dChannelsLast(_:weight:stride:)``: the
    /// extractor never builds im2col columns and its output needs no transpose before the
    /// feature projection).
    ///
    /// - Parameter x: `[batch, frames, inputChannels]`
    /// - Returns: `[batch, outputFrames, channels]`
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let convolved = try conv1dChannelsLast(
            x, weight: convolution.weight.tensor, stride: convolution.stride)
        switch norm {
        case .group(let groupNorm):
            // One group per channel (the only group norm the extractor builds): instance norm.
            return try instanceNormChannelsLast(
                convolved, weight: groupNorm.weight?.tensor, bias: groupNorm.bias?.tensor,
                epsilon: groupNorm.epsilon
            ).gelu()
        case .layer(let layerNorm):
            return try layerNorm(convolved).gelu()
        case nil:
            return convolved.gelu()
        }
    }
}

/// wav2vec 2.0's convolutional feature extractor: raw waveform to frames (stride 320, 50 Hz at
/// 16 kHz), named as HuggingFace's `feature_extractor` (`conv_layers.{i}`).
public final class ConvFeatureExtractor: Layer {
    /// The convolution blocks, first to last.
    public let convolutionLayers: LayerList<FeatureExtractorConvLayer>
    /// The layer shapes the extractor was built from.
    public let shapes: [ConvolutionLayerShape]
    public var isTraining = true

    /// Creates the extractor for `shapes` with the given normalisation.
    public init(
        shapes: [ConvolutionLayerShape], normalization: FeatureExtractorNormalization,
        epsilon: Float = 1e-5, using generator: inout some RandomNumberGenerator
    ) {
        var layers: [FeatureExtractorConvLayer] = []
        var inputChannels = 1
        for (index, shape) in shapes.enumerated() {
            let norm: FeatureExtractorNorm?
            switch normalization {
            case .groupNormFirstLayer:
                norm = index == 0
                    ? .group(GroupNorm(groupCount: shape.channels, channelCount: shape.channels, epsilon: epsilon))
                    : nil
            case .layerNormEveryLayer:
                norm = .layer(LayerNorm(dimensions: shape.channels, epsilon: epsilon))
            }
            layers.append(FeatureExtractorConvLayer(
                inputChannels: inputChannels, shape: shape, norm: norm, using: &generator))
            inputChannels = shape.channels
        }
        convolutionLayers = LayerList(layers)
        self.shapes = shapes
    }

    public var namedSublayers: [(name: String, layer: any Layer)] { [("conv_layers", convolutionLayers)] }

    /// Output channels of the last layer.
    public var outputChannels: Int { shapes.last?.channels ?? 1 }

    /// - Parameter waveforms: `[batch, samples]`
    /// - Returns: `[batch, frames, outputChannels]` (channels last, as HuggingFace's
    ///   `extract_features`)
    /// - Throws: ``TensorError`` when the input is not two-dimensional or shorter than the
    ///   receptive field.
    public func callAsFunction(_ waveforms: Tensor) throws -> Tensor {
        guard waveforms.rank == 2 else {
            throw TensorError("ConvFeatureExtractor", "expected [batch, samples], got \(waveforms.shape)")
        }
        var x = try waveforms.reshaped(to: [waveforms.shape[0], waveforms.shape[1], 1])  // [B, N, 1]
        for layer in convolutionLayers.elements {
            guard x.shape[1] >= layer.convolution.weight.shape[2] else {
                throw TensorError(
                    "ConvFeatureExtractor",
                    "\(waveforms.shape[1]) samples are shorter than the extractor's receptive field")
            }
            x = try layer(x)
        }
        return x
    }
}
