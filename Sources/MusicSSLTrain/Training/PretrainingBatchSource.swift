import MusicSSLCore

/// Where a trainer's batches come from, by index: batch i must depend only on i (and the
/// source's own seed), so that a run resumed at update n sees exactly the batches an
/// uninterrupted run would.
public protocol PretrainingBatchSource: AnyObject {
    /// Batch `index` (0-based, counting micro-batches across updates).
    func batch(at index: Int) throws -> PretrainingBatch
}
