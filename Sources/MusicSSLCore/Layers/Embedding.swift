/// A lookup table of learned vectors (PyTorch's `nn.Embedding`, weight initialised N(0, 1)).
public final class Embedding: Layer {
    /// `[count, dimensions]`.
    public let weight: Parameter
    public var isTraining = true

    /// Creates `count` vectors of `dimensions`, drawn from N(0, 1).
    public init(count: Int, dimensions: Int, using generator: inout some RandomNumberGenerator) {
        weight = Parameter(Tensor.randomNormal([count, dimensions], using: &generator))
    }

    public var namedLocalParameters: [(name: String, parameter: Parameter)] { [("weight", weight)] }

    /// The vectors for `indices`, `[indices.count, dimensions]`.
    public func callAsFunction(_ indices: [Int]) throws -> Tensor {
        try embedding(weight.tensor, indices: indices)
    }
}
