import Foundation

/// How many threads MusicSSL's own kernels split large loops across (BLAS has its own setting).
public enum Parallelism {
    nonisolated(unsafe) private static var processThreadCount =
        ProcessInfo.processInfo.activeProcessorCount
    @TaskLocal private static var scopedThreadCount: Int?

    /// Threads for elementwise and reduction kernels.
    ///
    /// Reading gives the count of the innermost ``withThreadCount(_:_:)`` scope of the current
    /// task, else the process-wide setting (the active processor count unless set). Setting
    /// changes the process-wide setting, which every thread sees; prefer a scope where other
    /// work runs concurrently (tests run in parallel, for instance), since the chunking of
    /// reductions, and so their last bits, follows the count.
    public static var threadCount: Int {
        get { scopedThreadCount ?? processThreadCount }
        set { processThreadCount = Swift.max(1, newValue) }
    }

    /// Runs `body` with ``threadCount`` reading `count` (at least 1) on the current task only.
    ///
    /// Kernels read the count on the thread that calls them, so the scope covers everything
    /// `body` computes on its own thread; work it hands to other threads or tasks sees the
    /// process-wide setting.
    public static func withThreadCount<Result>(
        _ count: Int, _ body: () throws -> Result
    ) rethrows -> Result {
        try $scopedThreadCount.withValue(Swift.max(1, count), operation: body)
    }

    /// Below this many elements of work a loop runs on the calling thread.
    nonisolated(unsafe) public static var minimumElementsPerThread = 1 << 15
}

/// Runs `body` over `0..<count` split into contiguous chunks, in parallel when the work is large.
///
/// - Parameters:
///   - count: number of items.
///   - cost: elements of work per item (so a row of 3072 floats counts as 3072).
@inline(__always)
func parallelChunks(_ count: Int, cost: Int = 1, _ body: (Range<Int>) -> Void) {
    let work = count &* Swift.max(cost, 1)
    let threads = Swift.min(Parallelism.threadCount, work / Swift.max(Parallelism.minimumElementsPerThread, 1))
    if threads <= 1 || count < 2 {
        body(0..<count)
        return
    }
    let chunks = Swift.min(threads, count)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let start = count * chunk / chunks
        let end = count * (chunk + 1) / chunks
        if start < end { body(start..<end) }
    }
}
