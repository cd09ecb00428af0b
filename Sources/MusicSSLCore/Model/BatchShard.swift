/// The rows of a global batch that one process of a data-parallel job holds, and how to agree
/// with the others on what couples rows.
///
/// Everything random about row `r` of a global batch (its crop, its mask, its dropout) is drawn
/// from a stream keyed by `r`, and what couples rows (span masking's equal masked count) is
/// reduced across processes, so N processes holding `B` rows each compute what one process
/// holding all `N·B` rows computes. A batch without a shard is a whole batch on its own.
///
/// Kernels find the shard of the pass they run in through ``current``, which
/// `MaskedPredictionModel.loss(for:using:)` sets for its forward pass; dropout uses it to key
/// each element by its place in the global batch.
///
/// ```swift
/// // Rank 1 of 2, 4 rows each: rows 4..<8 of a global batch of 8.
/// let shard = BatchShard(rows: 4..<8, globalRowCount: 8) { try communicator.allReduceMinimum($0) }
/// ```
public struct BatchShard: Sendable {
    /// This process's rows of the global batch.
    public var rows: Range<Int>
    /// Rows of the global batch, over every process.
    public var globalRowCount: Int
    /// The smallest of every process's `value` (an MPI all-reduce); the value itself for one
    /// process.
    public var minimumAcrossShards: @Sendable (Int) throws -> Int

    /// A shard of `rows` in a global batch of `globalRowCount`.
    public init(
        rows: Range<Int>, globalRowCount: Int,
        minimumAcrossShards: @escaping @Sendable (Int) throws -> Int = { $0 }
    ) {
        self.rows = rows
        self.globalRowCount = globalRowCount
        self.minimumAcrossShards = minimumAcrossShards
    }

    /// A whole batch of `rows` rows.
    public static func whole(rows: Int) -> BatchShard {
        BatchShard(rows: 0..<rows, globalRowCount: rows)
    }

    /// The shard of the forward pass running on this thread, nil outside a sharded pass.
    @TaskLocal public static var current: BatchShard?

    /// The global index of the first element of a batch-major tensor of `count` elements
    /// holding ``rows``: 0 without a shard.
    ///
    /// - Throws: ``TensorError`` when `count` does not split into ``rows``' rows.
    static func globalOffset(ofElementCount count: Int, operation: String) throws -> Int {
        guard let shard = current, shard.rows.lowerBound > 0 else { return 0 }
        let rows = shard.rows.count
        guard rows > 0, count % rows == 0 else {
            throw TensorError(
                operation,
                "a tensor of \(count) elements does not split into the \(rows) rows of batch shard \(shard.rows)")
        }
        return shard.rows.lowerBound * (count / rows)
    }
}
