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

    /// Mask flags for the rows `shard` names of a global batch (data-parallel training): the
    /// same flags those rows get when one process masks the whole global batch, when the
    /// strategy supports it. `generator` must be consumed alike whatever the shard, since every
    /// process goes on drawing from it.
    ///
    /// The default ignores the shard and masks the rows as a batch of their own, so a strategy
    /// that couples rows trains alike in distribution, not element for element.
    func mask(
        batch: Int, frames: Int, frameLengths: [Int]?, shard: BatchShard?,
        using generator: inout some RandomNumberGenerator
    ) throws -> [Bool]
}

extension MaskingStrategy {
    public func mask(
        batch: Int, frames: Int, frameLengths: [Int]?, shard: BatchShard?,
        using generator: inout some RandomNumberGenerator
    ) throws -> [Bool] {
        try mask(batch: batch, frames: frames, frameLengths: frameLengths, using: &generator)
    }
}
