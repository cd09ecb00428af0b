/// What a crop loader does with files shorter than the crop length.
///
/// fairseq's `RawAudioDataset` drops files below `min_sample_size` and, without padding
/// (`pad_audio=False`, the HuBERT and data2vec pre-training setting), crops every clip of a batch
/// to the batch's shortest clip. MusicSSL offers both halves of that rule:
public enum ShortFilePolicy: Sendable, Equatable {
    /// Files shorter than the crop are left out, so every batch is exactly
    /// `[batchSize, cropFrames]`: fixed shapes, the same masked-frame count in every batch, and
    /// 5 s crops that really are 5 s, as the MERT and Music2vec recipes train on. The default.
    case skip
    /// Files of at least `minimumSeconds` are kept; a batch holding a shorter crop is cut to its
    /// shortest member (each row keeps its first samples, which start at a random point already),
    /// as fairseq's collater does. Batch lengths then vary.
    case cropBatchToShortest(minimumSeconds: Double)
}
