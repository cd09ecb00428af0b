import Foundation
import MusicSSLCore

/// Contiguous ranges covering `0..<count`: one per thread when the loop is long enough to pay
/// for threads (following MusicSSLCore's ``Parallelism`` settings), else a single range.
func chunkRanges(_ count: Int) -> [Range<Int>] {
    let threads = Swift.min(
        Parallelism.threadCount, count / Swift.max(Parallelism.minimumElementsPerThread, 1))
    guard threads > 1 else { return count > 0 ? [0..<count] : [] }
    return (0..<threads).map { count * $0 / threads..<count * ($0 + 1) / threads }
}

/// Runs `body` on each range of ``chunkRanges(_:)``, in parallel when there are several.
///
/// Optimizer loops are memory bound; two threads on the two cores of this machine roughly
/// double the bandwidth one thread gets.
func forEachChunk(_ count: Int, _ body: (Range<Int>) -> Void) {
    let ranges = chunkRanges(count)
    if ranges.count == 1 {
        body(ranges[0])
    } else if ranges.count > 1 {
        DispatchQueue.concurrentPerform(iterations: ranges.count) { body(ranges[$0]) }
    }
}
