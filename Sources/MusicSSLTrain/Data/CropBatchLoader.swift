import Foundation
import MusicSSLCore

/// Crop batches made ahead of time on a background thread, so training never waits on decoding.
///
/// The thread makes batches `start, start + 1, …` with a ``CropBatchSource`` and keeps up to
/// ``prefetchCount`` of them ready; ``next()`` hands them over in order, waiting only when none
/// is ready. Since batch `i` depends only on the seed and `i`, a run resumed at batch `i` (the
/// index after the last batch its checkpoint consumed) gets exactly the batches an uninterrupted
/// run would.
///
/// ```swift
/// let loader = try CropBatchLoader(
///     source: CropBatchSource(corpus: corpus, configuration: configuration),
///     startingAtBatch: state.nextBatchIndex, prefetchCount: 4)
/// defer { loader.stop() }
/// let batch = try loader.next()            // batch.samples: [B, N]
/// for warning in batch.warnings { print("warning: \(warning)") }
/// state.nextBatchIndex = batch.index + 1   // saved with the checkpoint
/// ```
///
/// ``stop()`` (or releasing the loader) ends the thread: it finishes at most the crop it is
/// decoding, then exits; a failed batch ends the thread too, and ``next()`` reports the error.
public final class CropBatchLoader: @unchecked Sendable {
    /// The source batches come from.
    public let source: CropBatchSource
    /// The rows of each batch made (a data-parallel rank's share); nil for whole batches.
    public let rows: Range<Int>?
    /// Most batches made ahead and waiting.
    public let prefetchCount: Int
    private let queue: PrefetchQueue

    /// Starts the background thread at batch `startingAtBatch`.
    ///
    /// - Parameters:
    ///   - startingAtBatch: The first batch index to make, ≥ 0: 0 for a new run, the saved
    ///     next batch index when resuming.
    ///   - prefetchCount: Batches kept ready, at least 1.
    ///   - rows: The rows of each batch to make (``CropBatchSource/batch(at:rows:)``); nil for all.
    /// - Throws: ``CropBatchError`` for a negative start or a prefetch count below 1.
    public init(
        source: CropBatchSource, startingAtBatch: Int = 0, prefetchCount: Int = 4, rows: Range<Int>? = nil
    ) throws {
        let path = source.corpus.root.path
        guard startingAtBatch >= 0 else {
            throw CropBatchError(
                path: path, .invalidConfiguration("start batch \(startingAtBatch) is negative"))
        }
        guard prefetchCount >= 1 else {
            throw CropBatchError(
                path: path, .invalidConfiguration("prefetch count \(prefetchCount) is below 1"))
        }
        self.source = source
        self.prefetchCount = prefetchCount
        self.rows = rows
        queue = PrefetchQueue(capacity: prefetchCount, firstIndex: startingAtBatch)
        let queue = queue
        // The thread holds the queue and the source, not the loader, so releasing the loader
        // runs deinit, which stops the thread.
        let thread = Thread { queue.produce(with: source, rows: rows) }
        thread.name = "MusicSSL crop batches"
        thread.stackSize = 4 << 20
        thread.start()
    }

    deinit {
        queue.stop()
    }

    /// The next batch in index order, waiting for it if it is not ready yet.
    ///
    /// - Throws: The ``CropBatchError`` that ended the background thread (every later call
    ///   throws it again), or ``CropBatchError/Fault/stopped`` after ``stop()``.
    public func next() throws -> CropBatch {
        try queue.take(path: source.corpus.root.path)
    }

    /// Batches made and waiting to be taken.
    public var readyCount: Int { queue.readyCount }

    /// The index of the batch ``next()`` returns next: the data position a checkpoint saves.
    public var nextBatchIndex: Int { queue.nextIndexToTake }

    /// Ends the background thread and waits for it; batches not yet taken are dropped. Later
    /// calls do nothing.
    public func stop() {
        queue.stop()
    }
}

/// The bounded queue between the loader's thread (producer) and ``CropBatchLoader/next()``.
private final class PrefetchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var ready: [Result<CropBatch, Error>] = []
    private var nextIndexToMake: Int
    private var nextIndexToGive: Int
    private var terminalError: Error?
    private var isStopping = false
    private var hasExited = false

    init(capacity: Int, firstIndex: Int) {
        self.capacity = capacity
        nextIndexToMake = firstIndex
        nextIndexToGive = firstIndex
    }

    var readyCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return ready.count
    }

    var nextIndexToTake: Int {
        condition.lock()
        defer { condition.unlock() }
        return nextIndexToGive
    }

    /// The thread's body: make batches while there is room, until stopped or a batch fails.
    func produce(with source: CropBatchSource, rows: Range<Int>?) {
        while true {
            condition.lock()
            while !isStopping && ready.count >= capacity { condition.wait() }
            if isStopping {
                exit()
                return
            }
            let index = nextIndexToMake
            nextIndexToMake += 1
            condition.unlock()

            let result = Result { try source.batch(at: index, rows: rows, isCancelled: { self.stopping }) }

            condition.lock()
            if isStopping {
                exit()
                return
            }
            ready.append(result)
            condition.broadcast()
            if case .failure = result {
                exit()
                return
            }
            condition.unlock()
        }
    }

    /// Marks the thread gone and wakes waiters; called with the lock held, releases it.
    private func exit() {
        hasExited = true
        condition.broadcast()
        condition.unlock()
    }

    private var stopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return isStopping
    }

    func take(path: String) throws -> CropBatch {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && terminalError == nil && !hasExited { condition.wait() }
        if let terminalError { throw terminalError }
        guard !ready.isEmpty else { throw CropBatchError(path: path, .stopped) }
        let result = ready.removeFirst()
        condition.broadcast()
        switch result {
        case .success(let batch):
            nextIndexToGive = batch.index + 1
            return batch
        case .failure(let error):
            terminalError = error
            throw error
        }
    }

    func stop() {
        condition.lock()
        defer { condition.unlock() }
        isStopping = true
        ready.removeAll()
        condition.broadcast()
        while !hasExited { condition.wait() }
    }
}
