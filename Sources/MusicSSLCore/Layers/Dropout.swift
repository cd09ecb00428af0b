/// Inverted dropout: in training, zeroes each element with ``probability`` and scales the rest
/// by 1 / (1 − p); in evaluation, the identity.
public final class Dropout: Layer {
    /// Probability of zeroing an element.
    public let probability: Float
    public var isTraining = true

    /// Creates a dropout with drop `probability` in [0, 1).
    public init(probability: Float) {
        self.probability = probability
    }

    /// Applies dropout when training.
    public func callAsFunction(_ x: Tensor, using generator: inout some RandomNumberGenerator) throws -> Tensor {
        guard isTraining, probability > 0 else { return x }
        return try dropout(x, probability: probability, using: &generator)
    }
}
