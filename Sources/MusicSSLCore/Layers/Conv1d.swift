/// A 1-D convolution over `[batch, channels, frames]` (PyTorch's `nn.Conv1d`, same parameter
/// names and layout).
public final class Conv1d: Layer {
    /// `[outputChannels, inputChannels / groupCount, kernelSize]`.
    public let weight: Parameter
    /// `[outputChannels]`, or `nil` without bias (the wav2vec2 feature extractor has none).
    public let bias: Parameter?
    /// Step between output frames, in input frames.
    public let stride: Int
    /// Zero frames added at each end.
    public let padding: Int
    /// Spacing between kernel taps.
    public let dilation: Int
    /// Channel groups (16 in HuBERT's positional convolution).
    public let groupCount: Int
    public var isTraining = true

    /// Creates a convolution with PyTorch's default initialisation.
    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, groupCount: Int = 1, usesBias: Bool = true,
        using generator: inout some RandomNumberGenerator
    ) {
        let fanIn = inputChannels / Swift.max(groupCount, 1) * kernelSize
        weight = Parameter(DefaultInitialization.uniform(
            [outputChannels, inputChannels / Swift.max(groupCount, 1), kernelSize], fanIn: fanIn,
            using: &generator))
        bias = usesBias
            ? Parameter(DefaultInitialization.uniform([outputChannels], fanIn: fanIn, using: &generator)) : nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groupCount = groupCount
    }

    public var namedLocalParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// - Parameter x: `[batch, inputChannels, frames]`
    /// - Returns: `[batch, outputChannels, outputFrames]`
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try conv1d(
            x, weight: weight.tensor, bias: bias?.tensor, stride: stride, padding: padding,
            dilation: dilation, groups: groupCount)
    }
}
