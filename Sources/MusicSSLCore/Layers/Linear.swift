/// A fully connected layer, `y = x · weightᵀ + bias` (PyTorch's `nn.Linear`, same parameter
/// names and layout).
public final class Linear: Layer {
    /// `[outputDimensions, inputDimensions]`.
    public let weight: Parameter
    /// `[outputDimensions]`, or `nil` without bias.
    public let bias: Parameter?
    public var isTraining = true

    /// Width of the input's last axis.
    public var inputDimensions: Int { weight.shape[1] }
    /// Width of the output's last axis.
    public var outputDimensions: Int { weight.shape[0] }

    /// Creates a layer with PyTorch's default (Kaiming-uniform) initialisation.
    public init(
        inputDimensions: Int, outputDimensions: Int, usesBias: Bool = true,
        using generator: inout some RandomNumberGenerator
    ) {
        weight = Parameter(DefaultInitialization.uniform(
            [outputDimensions, inputDimensions], fanIn: inputDimensions, using: &generator))
        bias = usesBias
            ? Parameter(DefaultInitialization.uniform([outputDimensions], fanIn: inputDimensions, using: &generator))
            : nil
    }

    public var namedLocalParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// - Parameter x: `[..., inputDimensions]`
    /// - Returns: `[..., outputDimensions]`
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard x.shape.last == inputDimensions else {
            throw TensorError("Linear", "expected [..., \(inputDimensions)], got \(x.shape)")
        }
        return try linear(x, weight: weight.tensor, bias: bias?.tensor)
    }
}
