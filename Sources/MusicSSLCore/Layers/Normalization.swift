/// Layer normalisation over the last axis (PyTorch's `nn.LayerNorm`).
public final class LayerNorm: Layer {
    /// Scale γ, `[dimensions]`; `nil` when not affine (data2vec's positional-conv norms).
    public let weight: Parameter?
    /// Shift β, `[dimensions]`; `nil` when not affine.
    public let bias: Parameter?
    /// Width of the normalised axis.
    public let dimensions: Int
    /// Added to the variance (1e-5 in every reference model).
    public let epsilon: Float
    public var isTraining = true

    /// Creates a layer norm with γ = 1, β = 0, or with no parameters when `isAffine` is false.
    public init(dimensions: Int, epsilon: Float = 1e-5, isAffine: Bool = true) {
        self.dimensions = dimensions
        self.epsilon = epsilon
        weight = isAffine ? Parameter(Tensor.ones([dimensions])) : nil
        bias = isAffine ? Parameter(Tensor.zeros([dimensions])) : nil
    }

    public var namedLocalParameters: [(name: String, parameter: Parameter)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    /// - Parameter x: `[..., dimensions]`
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard x.shape.last == dimensions else {
            throw TensorError("LayerNorm", "expected [..., \(dimensions)], got \(x.shape)")
        }
        return try layerNorm(x, weight: weight?.tensor, bias: bias?.tensor, epsilon: epsilon)
    }
}

/// Group normalisation over `[batch, channels, ...]` (PyTorch's `nn.GroupNorm`); with one group
/// per channel it is the norm after wav2vec2's first convolution.
public final class GroupNorm: Layer {
    /// Scale γ, `[channelCount]`.
    public let weight: Parameter?
    /// Shift β, `[channelCount]`.
    public let bias: Parameter?
    /// Number of channel groups normalised together.
    public let groupCount: Int
    /// Number of channels.
    public let channelCount: Int
    /// Added to the variance.
    public let epsilon: Float
    public var isTraining = true

    /// Creates a group norm with γ = 1, β = 0 (no parameters when `isAffine` is false).
    public init(groupCount: Int, channelCount: Int, epsilon: Float = 1e-5, isAffine: Bool = true) {
        self.groupCount = groupCount
        self.channelCount = channelCount
        self.epsilon = epsilon
        weight = isAffine ? Parameter(Tensor.ones([channelCount])) : nil
        bias = isAffine ? Parameter(Tensor.zeros([channelCount])) : nil
    }

    public var namedLocalParameters: [(name: String, parameter: Parameter)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    /// - Parameter x: `[batch, channelCount, ...]`
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard x.rank >= 2, x.shape[1] == channelCount else {
            throw TensorError("GroupNorm", "expected [batch, \(channelCount), ...], got \(x.shape)")
        }
        return try groupNorm(x, groupCount: groupCount, weight: weight?.tensor, bias: bias?.tensor, epsilon: epsilon)
    }
}
