import MusicSSLCore

/// Where one row of a crop batch came from: the file, and the first frame at the file's rate,
/// so that the matching frame labels (k-means targets) can be cut from the file's label track.
public struct CropOrigin: Sendable, Equatable {
    /// The file the crop was decoded from.
    public let file: AudioCorpus.File
    /// The file's index in ``CropBatchSource/corpus``.
    public let fileIndex: Int
    /// The crop's first frame in the file, at the file's native rate.
    public let startFrame: Int

    /// Records a crop of `file` (index `fileIndex`) starting at native frame `startFrame`.
    public init(file: AudioCorpus.File, fileIndex: Int, startFrame: Int) {
        self.file = file
        self.fileIndex = fileIndex
        self.startFrame = startFrame
    }

    /// Where the crop starts, in seconds.
    public var startSeconds: Double { Double(startFrame) / Double(file.sampleRate) }

    /// The first label frame of the crop in a label track at `labelRate` Hz (50 for frames of
    /// the wav2vec2 CNN, 100 for MFCC frames): `round(start · labelRate / sampleRate)`, rounding
    /// halves to even as Python's `round` does in fairseq's `collater_frm_label`.
    public func labelStartFrame(labelRate: Double) -> Int {
        Int((Double(startFrame) * labelRate / Double(file.sampleRate)).rounded(.toNearestOrEven))
    }
}
