/// One batch of pre-training audio and where each clip came from.
public struct PretrainingBatch {
    /// Where one clip of the batch was cut from, so that targets stored per file (k-means
    /// labels) can be cut to match.
    public struct ClipSource: Equatable, Sendable, Codable {
        /// The file's path relative to its corpus root, as label files key it.
        public var path: String
        /// Seconds into the file where the clip starts.
        public var startSeconds: Double

        /// Creates a source record.
        public init(path: String, startSeconds: Double) {
            self.path = path
            self.startSeconds = startSeconds
        }
    }

    /// `[batch, samples]` at ``sampleRate``.
    public var waveforms: Tensor
    /// Real samples per clip when some are zero-padded; `nil` when every clip fills the batch.
    public var sampleLengths: [Int]?
    /// Samples per second of ``waveforms``.
    public var sampleRate: Int
    /// Each clip's origin, when known (needed by file-keyed targets).
    public var sources: [ClipSource]?
    /// The rows of a data-parallel step's global batch these clips are; nil for a batch of its own.
    public var shard: BatchShard?

    /// Creates a batch; ``MaskedPredictionModel`` checks the shapes.
    public init(
        waveforms: Tensor, sampleLengths: [Int]? = nil, sampleRate: Int, sources: [ClipSource]? = nil,
        shard: BatchShard? = nil
    ) {
        self.waveforms = waveforms
        self.sampleLengths = sampleLengths
        self.sampleRate = sampleRate
        self.sources = sources
        self.shard = shard
    }
}
