import Foundation
import MusicSSLCore

/// Makes crop batch `i` of a corpus, deterministically: every random choice of row `r` of batch
/// `i` comes from a stream seeded by `SplitMix64(seed: seed, index: i)` and `r`, so batch `i` (and
/// any of its rows, a data-parallel rank's share) is the same whichever batches were made
/// before it. That is what lets a resumed run start at its saved batch index and see exactly the
/// batches an uninterrupted run would. ``CropBatchLoader`` runs a source on a background thread.
///
/// Each row is a crop drawn by `RandomCropSampler` (a file weighted by duration, then a start
/// inside it). A file that fails to decode is skipped (the row draws again from the same
/// generator) and reported once in the batch's warnings and in ``skippedFiles``; because the
/// redraw consumes the generator the same way whether the failure is new or remembered, a
/// resumed run still makes the same batches (as long as the file fails every time).
///
/// ```swift
/// let source = try CropBatchSource(
///     corpus: corpus, configuration: CropBatchConfiguration(batchSize: 8, seed: 1))
/// let batch = try source.batch(at: 0)   // batch.samples: [8, 80_000]
/// ```
public final class CropBatchSource: @unchecked Sendable {
    /// Decodes the crop of file `fileIndex` of the sampler's corpus at native frame
    /// `startFrame`; the sampler's `RandomCropSampler.crop(fileAt:startFrame:)` unless a test
    /// wants to count or fail reads.
    public typealias CropReader =
        @Sendable (
            _ sampler: RandomCropSampler, _ fileIndex: Int, _ startFrame: Int
        ) throws -> AudioCrop

    /// Most windows one row may draw before the batch gives up (only reached when almost every
    /// file is unreadable or too short).
    public static let maximumDrawsPerRow = 10_000

    /// What the batches hold and how they are drawn.
    public let configuration: CropBatchConfiguration
    /// The sampler over the usable files (files below the short-file limit are left out).
    public let sampler: RandomCropSampler
    private let readCrop: CropReader
    private let lock = NSLock()
    private var unreadable: [Int: String] = [:]
    private var skippedInOrder: [CorpusScanSummary.SkippedFile] = []

    /// The files batches are drawn from: the corpus without the files too short for the
    /// short-file rule.
    public var corpus: AudioCorpus { sampler.corpus }

    /// A source over `corpus`.
    ///
    /// - Parameters:
    ///   - resampler: Converts files at other rates to the configuration's rate.
    ///   - cropReader: Decodes one crop; the sampler's own reader by default.
    /// - Throws: ``CropBatchError`` for a batch size below 1, a bad crop length or rate, or a
    ///   corpus without a file long enough.
    public init(
        corpus: AudioCorpus, configuration: CropBatchConfiguration,
        resampler: Resampler = Resampler(), cropReader: CropReader? = nil
    ) throws {
        let path = corpus.root.path
        guard configuration.batchSize >= 1 else {
            throw CropBatchError(
                path: path,
                .invalidConfiguration("batch size \(configuration.batchSize) is below 1"))
        }
        guard configuration.cropSeconds.isFinite, configuration.cropSeconds > 0,
            configuration.sampleRate > 0
        else {
            throw CropBatchError(
                path: path,
                .invalidConfiguration(
                    "crop length \(configuration.cropSeconds) s at \(configuration.sampleRate) Hz"))
        }
        let minimumSeconds: Double
        switch configuration.shortFiles {
        case .skip:
            minimumSeconds = configuration.cropSeconds
        case .cropBatchToShortest(let seconds):
            guard seconds.isFinite, seconds > 0 else {
                throw CropBatchError(
                    path: path, .invalidConfiguration("minimum file length \(seconds) s"))
            }
            minimumSeconds = seconds
        }
        let usable = corpus.excludingFiles(shorterThan: minimumSeconds)
        guard !usable.files.isEmpty else {
            throw CropBatchError(
                path: path,
                .noFileLongEnough(minimumSeconds: minimumSeconds, fileCount: corpus.files.count))
        }
        sampler = try RandomCropSampler(
            corpus: usable, cropSeconds: configuration.cropSeconds,
            sampleRate: configuration.sampleRate, weighting: configuration.weighting,
            normalization: configuration.normalization, resampler: resampler)
        self.configuration = configuration
        readCrop =
            cropReader ?? { sampler, index, start in
                try sampler.crop(fileAt: index, startFrame: start)
            }
    }

    /// Files found unreadable so far, in the order found, with the decoder's reason.
    public var skippedFiles: [CorpusScanSummary.SkippedFile] {
        lock.lock()
        defer { lock.unlock() }
        return skippedInOrder
    }

    /// Batch `index` (≥ 0): `[batchSize, frames]` crops and their origins.
    ///
    /// - Throws: ``CropBatchError`` when every file is unreadable, or a row keeps drawing
    ///   unusable windows.
    public func batch(at index: Int) throws -> CropBatch {
        try batch(at: index, rows: nil, isCancelled: { false })
    }

    /// Rows `rows` of batch `index`: the crops those rows of the whole batch hold, decoding
    /// only them (a data-parallel rank's share).
    ///
    /// - Throws: ``CropBatchError`` for rows outside the batch, and as ``batch(at:)``.
    public func batch(at index: Int, rows: Range<Int>) throws -> CropBatch {
        try batch(at: index, rows: rows, isCancelled: { false })
    }

    /// Rows `rows` (nil for all) of batch `index`, checking `isCancelled` between crops so a
    /// stopping loader is not held up by a whole batch of decoding.
    func batch(at index: Int, rows: Range<Int>?, isCancelled: () -> Bool) throws -> CropBatch {
        precondition(index >= 0, "batch index \(index) is negative")
        let rows = rows ?? 0..<configuration.batchSize
        guard rows.lowerBound >= 0, rows.upperBound <= configuration.batchSize, !rows.isEmpty else {
            throw CropBatchError(
                path: corpus.root.path,
                .invalidConfiguration("rows \(rows) are not inside a batch of \(configuration.batchSize)"))
        }
        // Row r draws from its own stream, so a rank holding some rows draws what the whole
        // batch holds in them.
        var batchGenerator = SplitMix64(seed: configuration.seed, index: UInt64(index))
        let rowSeed = batchGenerator.next()
        var crops: [AudioCrop] = []
        var origins: [CropOrigin] = []
        var warnings: [String] = []
        for row in rows {
            if isCancelled() {
                throw CropBatchError(path: corpus.root.path, .stopped)
            }
            var generator = SplitMix64(seed: rowSeed, index: UInt64(row))
            let (crop, origin) = try drawUsableCrop(
                batchIndex: index, using: &generator, warnings: &warnings)
            crops.append(crop)
            origins.append(origin)
        }
        // Rows are cut to the shortest crop (only shorter than the crop length under
        // .cropBatchToShortest; under .skip every accepted crop is full length).
        let frameCount = crops.map(\.samples.count).min() ?? 0
        var scalars: [Float] = []
        scalars.reserveCapacity(crops.count * frameCount)
        for crop in crops { scalars += crop.samples.prefix(frameCount) }
        return CropBatch(
            index: index,
            samples: try Tensor(shape: [crops.count, frameCount], scalars: scalars),
            origins: origins, warnings: warnings)
    }

    /// Draws windows until one decodes and is long enough, skipping unreadable files.
    private func drawUsableCrop(
        batchIndex: Int, using generator: inout SplitMix64, warnings: inout [String]
    ) throws -> (AudioCrop, CropOrigin) {
        let path = corpus.root.path
        for _ in 0..<Self.maximumDrawsPerRow {
            let (fileIndex, startFrame) = sampler.drawWindow(using: &generator)
            if isKnownUnreadable(fileIndex) {
                if allFilesUnreadable() {
                    throw CropBatchError(
                        path: path, .noReadableFiles(fileCount: corpus.files.count))
                }
                continue
            }
            let crop: AudioCrop
            do {
                crop = try readCrop(sampler, fileIndex, startFrame)
            } catch {
                if let warning = markUnreadable(fileIndex, reason: "\(error)") {
                    warnings.append(warning)
                }
                continue
            }
            // Under .skip a crop must be whole; one cut short (a resampled window meeting the
            // file's end) is redrawn, which depends only on the window, so resumes agree.
            if configuration.shortFiles == .skip && crop.samples.count < sampler.cropFrameCount {
                continue
            }
            guard !crop.samples.isEmpty else { continue }
            let origin = CropOrigin(
                file: corpus.files[fileIndex], fileIndex: fileIndex, startFrame: startFrame)
            return (crop, origin)
        }
        throw CropBatchError(
            path: path,
            .tooManyUnusableDraws(batchIndex: batchIndex, draws: Self.maximumDrawsPerRow))
    }

    private func isKnownUnreadable(_ fileIndex: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return unreadable[fileIndex] != nil
    }

    private func allFilesUnreadable() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return unreadable.count == corpus.files.count
    }

    /// Remembers that `fileIndex` failed; returns the warning when the failure is new.
    private func markUnreadable(_ fileIndex: Int, reason: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        guard unreadable[fileIndex] == nil else { return nil }
        unreadable[fileIndex] = reason
        let file = corpus.files[fileIndex]
        skippedInOrder.append(CorpusScanSummary.SkippedFile(path: file.path, reason: reason))
        return "skipped \(file.url.path), which no longer decodes: \(reason)"
    }
}
