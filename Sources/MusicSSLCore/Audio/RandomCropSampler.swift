import Foundation

/// A window of one corpus file, decoded by seeking, resampled and optionally normalised.
public struct AudioCrop: Sendable {
    /// [frames] mono samples at ``sampleRate``: ``RandomCropSampler/cropFrameCount`` of them, or
    /// fewer when the file ends first.
    public var samples: [Float]
    /// Rate of ``samples`` in Hz.
    public let sampleRate: Int
    /// The file the crop comes from.
    public let file: AudioCorpus.File
    /// The crop's first frame in the file, at the file's native rate.
    public let startFrame: Int
    /// Frames of the file the crop covers, at the native rate.
    public let sourceFrameCount: Int

    /// Where the crop starts in the file, in seconds.
    public var startSeconds: Double { Double(startFrame) / Double(file.sampleRate) }
}

/// Draws fixed-length training crops from a corpus: a file, then a start inside it, both from
/// the generator passed in, so a seed fixes the whole sequence.
///
/// Only the window is decoded (the decoder seeks to it), with a little context on each side
/// for the resampling filter, so a crop equals the same stretch of the whole file resampled.
/// A file shorter than the crop is returned whole, as fairseq's `RawAudioDataset` keeps short
/// files and crops long ones; batch collation pads or crops to a common length.
///
/// ```swift
/// let sampler = try RandomCropSampler(corpus: corpus, sampleRate: 16_000,
///                                     normalization: .fairseq)
/// var generator = SplitMix64(seed: 7)
/// let crop = try sampler.next(using: &generator)   // crop.samples.count == 80_000
/// ```
public struct RandomCropSampler: Sendable {
    /// How likely each file is to be chosen.
    public enum FileWeighting: Sendable, Equatable {
        /// In proportion to its duration: every second of the corpus is equally likely to be
        /// drawn, so a ten-minute piece yields ten times the crops of a one-minute one.
        case duration
        /// Every file alike, as one fairseq epoch visits each file once: short files are
        /// oversampled relative to their length.
        case uniform
    }

    /// The files crops come from.
    public let corpus: AudioCorpus
    /// Crop length in seconds; 5 by default.
    public let cropSeconds: Double
    /// Rate of the crops in Hz (16 000 for HuBERT and Music2vec, 24 000 for MERT-v1).
    public let sampleRate: Int
    /// How files are chosen.
    public let weighting: FileWeighting
    /// What is done to each crop's waveform.
    public let normalization: WaveformNormalization
    /// The resampler for files at other rates.
    public let resampler: Resampler
    /// Samples in a full crop: `cropSeconds · sampleRate`, rounded.
    public let cropFrameCount: Int
    /// Running totals of the files' weights, for drawing a file by binary search.
    private let cumulativeWeights: [Double]

    /// Creates a sampler over `corpus`.
    ///
    /// - Parameters:
    ///   - corpus: The files; must hold at least one.
    ///   - cropSeconds: Crop length in seconds, positive.
    ///   - sampleRate: Rate of the crops in Hz, positive.
    ///   - weighting: How files are chosen; by duration unless told otherwise.
    ///   - normalization: Applied to each crop after resampling; none by default.
    ///   - resampler: Converts files at other rates; `.best` quality by default.
    /// - Throws: ``CorpusError`` for an empty corpus or a bad length or rate.
    public init(
        corpus: AudioCorpus, cropSeconds: Double = 5, sampleRate: Int,
        weighting: FileWeighting = .duration, normalization: WaveformNormalization = .none,
        resampler: Resampler = Resampler()
    ) throws {
        let path = corpus.root.path
        guard !corpus.files.isEmpty else {
            throw CorpusError(path: path, .noUsableFiles)
        }
        guard cropSeconds.isFinite, cropSeconds > 0 else {
            throw CorpusError(path: path, .invalidArgument("crop length \(cropSeconds) s"))
        }
        guard sampleRate > 0 else {
            throw CorpusError(path: path, .invalidArgument("sample rate \(sampleRate) Hz"))
        }
        let cropFrameCount = Int((cropSeconds * Double(sampleRate)).rounded())
        guard cropFrameCount > 0 else {
            throw CorpusError(
                path: path,
                .invalidArgument("a \(cropSeconds) s crop at \(sampleRate) Hz has no samples"))
        }
        self.corpus = corpus
        self.cropSeconds = cropSeconds
        self.sampleRate = sampleRate
        self.weighting = weighting
        self.normalization = normalization
        self.resampler = resampler
        self.cropFrameCount = cropFrameCount
        var total = 0.0
        cumulativeWeights = corpus.files.map { file in
            total += weighting == .duration ? file.durationSeconds : 1
            return total
        }
    }

    /// Draws a file, then a start uniformly among those that keep the crop inside it, and
    /// returns that crop.
    ///
    /// - Throws: ``AudioError`` when the file no longer decodes (changed or truncated since
    ///   the scan); ``ResamplerError`` when its rate cannot be converted.
    public func next(using generator: inout some RandomNumberGenerator) throws -> AudioCrop {
        let window = drawWindow(using: &generator)
        return try crop(fileAt: window.fileIndex, startFrame: window.startFrame)
    }

    /// Draws a file and a start inside it exactly as ``next(using:)`` does, without decoding:
    /// for a loader that decodes elsewhere or skips files it knows to be unreadable.
    ///
    /// - Returns: The index of the file in ``corpus`` and the crop's first frame at the file's
    ///   native rate (0 for a file shorter than the crop).
    public func drawWindow(
        using generator: inout some RandomNumberGenerator
    ) -> (fileIndex: Int, startFrame: Int) {
        let index = chooseFile(using: &generator)
        let file = corpus.files[index]
        let lastStart = file.frameCount - sourceFrameCount(for: file)
        let startFrame = lastStart > 0 ? Int.random(in: 0...lastStart, using: &generator) : 0
        return (index, startFrame)
    }

    /// The crop of the `index`th file starting at `startFrame` (native rate): deterministic,
    /// for evaluation or for reproducing a drawn crop. It ends early at the end of the file.
    ///
    /// - Throws: ``CorpusError`` for an index or start outside the corpus or file;
    ///   ``AudioError`` or ``ResamplerError`` as ``next(using:)``.
    public func crop(fileAt index: Int, startFrame: Int) throws -> AudioCrop {
        guard corpus.files.indices.contains(index) else {
            throw CorpusError(
                path: corpus.root.path,
                .fileIndexOutOfRange(index: index, fileCount: corpus.files.count))
        }
        let file = corpus.files[index]
        guard startFrame >= 0, startFrame < file.frameCount else {
            throw CorpusError(
                path: file.url.path,
                .invalidArgument(
                    "start frame \(startFrame) is outside the file's \(file.frameCount) frames"))
        }
        let endFrame = min(file.frameCount, startFrame + sourceFrameCount(for: file))
        var samples =
            file.sampleRate == sampleRate
            ? try AudioDecoder.read(
                file.url, startFrame: startFrame, frameCount: endFrame - startFrame
            ).samples
            : try resampledWindow(of: file, from: startFrame, to: endFrame)
        samples = normalization.apply(to: samples)
        return AudioCrop(
            samples: samples, sampleRate: sampleRate, file: file, startFrame: startFrame,
            sourceFrameCount: endFrame - startFrame)
    }

    /// Frames at `file`'s rate a full crop spans: enough to resample to ``cropFrameCount``.
    private func sourceFrameCount(for file: AudioCorpus.File) -> Int {
        (cropFrameCount * file.sampleRate + sampleRate - 1) / sampleRate
    }

    /// Frames `startFrame..<endFrame` of `file` at ``sampleRate``.
    ///
    /// The read reaches past the window by the resampling filter's half width, in whole steps
    /// of `rate / gcd(rate, sampleRate)` frames, so that the window's first sample falls on the
    /// output grid and its edges are filtered with the real neighbours rather than silence.
    private func resampledWindow(
        of file: AudioCorpus.File, from startFrame: Int, to endFrame: Int
    )
        throws -> [Float]
    {
        let divisor = greatestCommonDivisor(file.sampleRate, sampleRate)
        let inputStep = file.sampleRate / divisor
        let outputStep = sampleRate / divisor
        let lowerRate = min(file.sampleRate, sampleRate)
        let contextFrames =
            (resampler.quality.halfWidthAtLowerRate * file.sampleRate + lowerRate - 1)
            / lowerRate + 1
        let contextSteps = (contextFrames + inputStep - 1) / inputStep
        let leadingSteps = min(contextSteps, startFrame / inputStep)
        let readStart = startFrame - leadingSteps * inputStep
        let readEnd = min(file.frameCount, endFrame + contextSteps * inputStep)
        let clip = try AudioDecoder.read(
            file.url, startFrame: readStart, frameCount: readEnd - readStart)
        let resampled = try resampler.resample(clip.samples, from: clip.sampleRate, to: sampleRate)
        let offset = leadingSteps * outputStep
        let count = min(
            cropFrameCount,
            Resampler.outputFrameCount(
                forInputFrames: endFrame - startFrame, from: file.sampleRate, to: sampleRate))
        return Array(resampled[offset..<min(resampled.count, offset + count)])
    }

    private func chooseFile(using generator: inout some RandomNumberGenerator) -> Int {
        switch weighting {
        case .uniform:
            return Int.random(in: 0..<corpus.files.count, using: &generator)
        case .duration:
            let total = cumulativeWeights[cumulativeWeights.count - 1]
            let point = Double.random(in: 0..<total, using: &generator)
            // The first file whose running total exceeds the point.
            var low = 0
            var high = cumulativeWeights.count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulativeWeights[middle] > point { high = middle } else { low = middle + 1 }
            }
            return low
        }
    }
}

private func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
}
