import MusicSSLCore

/// What a crop batch holds and how its crops are drawn: batch size, crop length and rate, file
/// weighting, normalisation, the short-file rule and the seed that fixes every batch.
///
/// ```swift
/// let configuration = CropBatchConfiguration(batchSize: 8, cropSeconds: 5, seed: 1)
/// ```
public struct CropBatchConfiguration: Sendable, Equatable {
    /// Crops per batch, at least 1.
    public var batchSize: Int
    /// Crop length in seconds, 5 by default (the paper's crop-length ablation uses 30).
    public var cropSeconds: Double
    /// The rate crops are resampled to, in Hz; 16 000 by default (HuBERT, Music2vec).
    public var sampleRate: Int
    /// How files are chosen: in proportion to their duration by default.
    public var weighting: RandomCropSampler.FileWeighting
    /// Per-crop normalisation of the waveform; none by default (`WaveformNormalization.fairseq`
    /// for fairseq's `normalize: true`, which data2vec-style models use).
    public var normalization: WaveformNormalization
    /// What happens to files shorter than the crop.
    public var shortFiles: ShortFilePolicy
    /// Fixes every batch: batch `i` draws from `SplitMix64(seed: seed, index: i)` alone.
    public var seed: UInt64

    /// A configuration with the defaults above.
    public init(
        batchSize: Int, cropSeconds: Double = 5, sampleRate: Int = 16_000,
        weighting: RandomCropSampler.FileWeighting = .duration,
        normalization: WaveformNormalization = .none, shortFiles: ShortFilePolicy = .skip,
        seed: UInt64
    ) {
        self.batchSize = batchSize
        self.cropSeconds = cropSeconds
        self.sampleRate = sampleRate
        self.weighting = weighting
        self.normalization = normalization
        self.shortFiles = shortFiles
        self.seed = seed
    }
}
