/// Chooses which frames of a batch a ``MaskedPredictionModel`` hides from its encoder.
public protocol MaskingStrategy {
    /// Mask flags for a batch.
    ///
    /// - Parameters:
    ///   - batch: examples in the batch.
    ///   - frames: frames per example (padded length).
    ///   - frameLengths: real frames of each example, `nil` when none is padded; padding is
    ///     never masked.
    ///   - generator: the only source of randomness, so a seed fixes the mask.
    /// - Returns: `batch · frames` flags, row-major, true for masked frames.
    func mask(
        batch: Int, frames: Int, frameLengths: [Int]?,
        using generator: inout some RandomNumberGenerator
    ) throws -> [Bool]
}
