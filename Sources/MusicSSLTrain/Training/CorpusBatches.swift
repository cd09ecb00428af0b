import Foundation
import MusicSSLCore

/// A trainer's batches drawn from an audio corpus: crop batch `i` of a ``CropBatchSource``,
/// made ahead on a ``CropBatchLoader`` thread, handed over as a `PretrainingBatch` that names
/// each clip's file and start (so file-keyed targets, k-means labels, can be cut to match).
///
/// Batches are asked for in order; asking for an index other than the next one (a resumed
/// run's first batch) restarts the loader there. Since crop batch `i` depends only on the seed
/// and `i`, a resumed run sees exactly the batches an uninterrupted run would.
///
/// ```swift
/// let data = try CorpusBatches(
///     source: CropBatchSource(corpus: corpus, configuration: .init(batchSize: 8, seed: 1)))
/// data.onWarning = { print("warning: \($0)") }
/// let trainer = PretrainingTrainer(model: model, optimizer: adam, schedule: schedule,
///                                  data: data, options: options, directory: runURL)
/// ```
public final class CorpusBatches: PretrainingBatchSource {
    /// The crops' source.
    public let source: CropBatchSource
    /// Batches the loader keeps ready.
    public let prefetchCount: Int
    /// The rows of each crop batch this process trains on (its data-parallel share); nil for
    /// whole batches.
    public let rows: Range<Int>?
    /// Called with each batch's warnings (files that stopped decoding and were skipped).
    public var onWarning: (String) -> Void = { _ in }
    private var loader: CropBatchLoader?

    /// Batches from `source`, `prefetchCount` made ahead; with `rows`, only those rows of each
    /// (a data-parallel rank's share, handed over with its `BatchShard`).
    ///
    /// - Throws: ``CropBatchError`` for a prefetch count below 1 or rows outside a batch.
    public init(source: CropBatchSource, prefetchCount: Int = 4, rows: Range<Int>? = nil) throws {
        guard prefetchCount >= 1 else {
            throw CropBatchError(
                path: source.corpus.root.path,
                .invalidConfiguration("prefetch count \(prefetchCount) is below 1"))
        }
        if let rows, rows.isEmpty || rows.lowerBound < 0 || rows.upperBound > source.configuration.batchSize {
            throw CropBatchError(
                path: source.corpus.root.path,
                .invalidConfiguration("rows \(rows) are not inside a batch of \(source.configuration.batchSize)"))
        }
        self.source = source
        self.prefetchCount = prefetchCount
        self.rows = rows
    }

    deinit {
        loader?.stop()
    }

    public func batch(at index: Int) throws -> PretrainingBatch {
        if loader?.nextBatchIndex != index {
            loader?.stop()
            loader = try CropBatchLoader(
                source: source, startingAtBatch: index, prefetchCount: prefetchCount, rows: rows)
        }
        guard let loader else { preconditionFailure("the loader was just made") }
        let crops = try loader.next()
        for warning in crops.warnings { onWarning(warning) }
        var batch = PretrainingBatch(crops, sampleRate: source.configuration.sampleRate)
        if let rows { batch.shard = BatchShard(rows: rows, globalRowCount: source.configuration.batchSize) }
        return batch
    }

    /// Ends the loader thread; a later ``batch(at:)`` starts a new one.
    public func stop() {
        loader?.stop()
        loader = nil
    }
}

extension PretrainingBatch {
    /// The crops of `batch` at `sampleRate`, each clip's source its file's corpus path and its
    /// start in seconds.
    public init(_ batch: CropBatch, sampleRate: Int) {
        self.init(
            waveforms: batch.samples, sampleRate: sampleRate,
            sources: batch.origins.map { ClipSource(path: $0.file.path, startSeconds: $0.startSeconds) })
    }
}
