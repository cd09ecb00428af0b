/// A convolutional relative positional embedding: maps `[batch, frames, dimensions]` to an
/// embedding of the same shape that the encoder adds to its input.
public protocol PositionalConvolution: Layer {
    /// - Parameter x: `[batch, frames, dimensions]`
    /// - Returns: `[batch, frames, dimensions]`, to be added to `x`.
    func callAsFunction(_ x: Tensor) throws -> Tensor
}

/// A grouped 1-D convolution whose weight is weight-normalised over the kernel axis
/// (`torch.nn.utils.weight_norm(conv, dim=2)`): for each tap k,
/// `w[:, :, k] = g[k] · v[:, :, k] / ‖v[:, :, k]‖`. Parameters `weight_g`, `weight_v`, `bias`.
public final class WeightNormalizedConv1d: Layer {
    /// Per-tap magnitude g, `[1, 1, kernelSize]`.
    public let magnitude: Parameter
    /// Direction v, `[channels, channels / groupCount, kernelSize]`.
    public let direction: Parameter
    /// `[channels]`.
    public let bias: Parameter
    /// Channel groups.
    public let groupCount: Int
    public var isTraining = true

    /// Creates the convolution with fairseq's initialisation: v ~ N(0, √(4 / (k·D))), g = ‖v‖
    /// per tap, bias 0.
    public init(channels: Int, kernelSize: Int, groupCount: Int, using generator: inout some RandomNumberGenerator) throws {
        guard groupCount > 0, channels % groupCount == 0, kernelSize > 0 else {
            throw TensorError("WeightNormalizedConv1d", "\(channels) channels do not split into \(groupCount) groups")
        }
        let standardDeviation = (4 / Float(kernelSize * channels)).squareRoot()
        let v = Tensor.randomNormal(
            [channels, channels / groupCount, kernelSize], standardDeviation: standardDeviation, using: &generator)
        direction = Parameter(v)
        magnitude = Parameter(try noGrad { try v.squared().sum(alongAxes: [0, 1], keepingDimensions: true).squareRoot() })
        bias = Parameter(Tensor.zeros([channels]))
        self.groupCount = groupCount
    }

    public var namedLocalParameters: [(name: String, parameter: Parameter)] {
        [("weight_g", magnitude), ("weight_v", direction), ("bias", bias)]
    }

    /// The folded weight g · v / ‖v‖, `[channels, channels / groupCount, kernelSize]`.
    public func weight() throws -> Tensor {
        let v = direction.tensor
        let norm = try v.squared().sum(alongAxes: [0, 1], keepingDimensions: true).squareRoot()  // [1, 1, K]
        return try v * (magnitude.tensor / norm)
    }

    /// - Parameter x: `[batch, channels, frames]`
    public func callAsFunction(_ x: Tensor, padding: Int) throws -> Tensor {
        try conv1d(x, weight: weight(), bias: bias.tensor, padding: padding, groups: groupCount)
    }
}

/// HuBERT's positional embedding: one weight-normalised grouped convolution (kernel 128,
/// padding 64, 16 groups), the last frame dropped for an even kernel, then GELU; named as
/// HuggingFace's `pos_conv_embed` (`conv`).
public final class WeightNormalizedPositionalConvolution: PositionalConvolution {
    /// The convolution.
    public let convolution: WeightNormalizedConv1d
    public var isTraining = true

    /// Creates the embedding for width `dimensions`.
    public init(dimensions: Int, kernelSize: Int, groupCount: Int, using generator: inout some RandomNumberGenerator) throws {
        convolution = try WeightNormalizedConv1d(
            channels: dimensions, kernelSize: kernelSize, groupCount: groupCount, using: &generator)
    }

    public var namedSublayers: [(name: String, layer: any Layer)] { [("conv", convolution)] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let frames = x.shape[1]
        let kernelSize = convolution.direction.shape[2]
        let convolved = try convolution(x.transposed(1, 2), padding: kernelSize / 2)  // [B, D, T(+1)]
        // fairseq's SamePad: an even kernel yields one extra frame, which is removed.
        return try convolved.sliced(alongAxis: 2, 0..<frames).gelu().transposed(1, 2)  // [B, T, D]
    }
}

/// One block of data2vec's positional embedding: grouped convolution, parameter-free layer
/// norm over channels, GELU; named as HuggingFace's `Data2VecAudioPositionalConvLayer` (`conv`).
public final class PositionalConvolutionBlock: Layer {
    /// The convolution (with bias).
    public let convolution: Conv1d
    /// Layer norm over channels, without learned scale or shift.
    public let layerNorm: LayerNorm
    public var isTraining = true

    init(dimensions: Int, kernelSize: Int, groupCount: Int, epsilon: Float, using generator: inout some RandomNumberGenerator) {
        convolution = Conv1d(
            inputChannels: dimensions, outputChannels: dimensions, kernelSize: kernelSize,
            padding: kernelSize / 2, groupCount: groupCount, using: &generator)
        layerNorm = LayerNorm(dimensions: dimensions, epsilon: epsilon, isAffine: false)
    }

    public var namedSublayers: [(name: String, layer: any Layer)] { [("conv", convolution), ("layer_norm", layerNorm)] }

    /// - Parameter x: `[batch, dimensions, frames]`
    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let frames = x.shape[2]
        let convolved = try convolution(x).sliced(alongAxis: 2, 0..<frames)  // SamePad
        return try layerNorm(convolved.transposed(1, 2)).transposed(1, 2).gelu()  // [B, D, T]
    }
}

/// data2vec's positional embedding: `layerCount` stacked ``PositionalConvolutionBlock``s
/// (kernel 19, 16 groups, five blocks in base); named as HuggingFace's `pos_conv_embed`
/// (`layers.{i}`).
public final class StackedPositionalConvolution: PositionalConvolution {
    /// The blocks, applied in order.
    public let layers: LayerList<PositionalConvolutionBlock>
    public var isTraining = true

    /// Creates `layerCount` blocks for width `dimensions`.
    public init(
        dimensions: Int, layerCount: Int, kernelSize: Int, groupCount: Int, epsilon: Float = 1e-5,
        using generator: inout some RandomNumberGenerator
    ) throws {
        guard groupCount > 0, dimensions % groupCount == 0 else {
            throw TensorError("StackedPositionalConvolution", "\(dimensions) channels do not split into \(groupCount) groups")
        }
        layers = LayerList((0..<layerCount).map { _ in
            PositionalConvolutionBlock(
                dimensions: dimensions, kernelSize: kernelSize, groupCount: groupCount, epsilon: epsilon,
                using: &generator)
        })
    }

    public var namedSublayers: [(name: String, layer: any Layer)] { [("layers", layers)] }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var h = try x.transposed(1, 2)  // [B, D, T]
        for block in layers.elements { h = try block(h) }
        return try h.transposed(1, 2)
    }
}
