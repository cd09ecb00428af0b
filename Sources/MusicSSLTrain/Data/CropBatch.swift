import MusicSSLCore

/// One training batch of equal-length crops and where each came from.
///
/// `@unchecked Sendable`: the loader builds the tensor on its thread and never touches it again
/// after handing the batch over.
public struct CropBatch: @unchecked Sendable {
    /// The batch's position in the stream; batch `index` is the same in every run with the
    /// same seed and configuration.
    public let index: Int
    /// [batchSize, frames] waveforms at the configuration's sample rate.
    public let samples: Tensor
    /// Where each row came from, one per row.
    public let origins: [CropOrigin]
    /// Files first found unreadable while this batch was drawn (each skipped; see
    /// ``CropBatchSource/skippedFiles``), one sentence each.
    public let warnings: [String]

    /// Samples per row.
    public var frameCount: Int { samples.shape[1] }
}
