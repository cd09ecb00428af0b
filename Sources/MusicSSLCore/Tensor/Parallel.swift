import Foundation

/// How many threads MusicSSL's own kernels split large loops across (BLAS has its own setting).
public enum Parallelism {
    /// Threads for elementwise and reduction kernels; defaults to the active processor count.
    nonisolated(unsafe) public static var threadCount = ProcessInfo.processInfo.activeProcessorCount

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
