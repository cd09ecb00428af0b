// Table lookup. Forward copies rows; the pullback scatters the upstream rows back, adding where
// an index repeats (torch.nn.functional.embedding without padding_idx or max_norm).

/// Rows of `table` picked by `indices`, as torch.nn.functional.embedding.
///
/// - Parameters:
///   - table: [vocabulary, dimensions].
///   - indices: row ids in 0..<vocabulary; may repeat.
/// - Returns: [indices.count, dimensions].
/// - Throws: ``TensorError`` when `table` is not rank 2 or an index is out of range.
public func embedding(_ table: Tensor, indices: [Int]) throws -> Tensor {
    guard table.rank == 2 else {
        throw TensorError("embedding", "table must be [vocabulary, dimensions], got \(table.shape)")
    }
    let (V, D) = (table.shape[0], table.shape[1])
    if let bad = indices.first(where: { $0 < 0 || $0 >= V }) {
        throw TensorError("embedding", "index \(bad) is out of range for table \(table.shape)")
    }
    let n = indices.count
    let source = table.base
    let out = Tensor.filling([n, D]) { y in
        parallelChunks(n, cost: D) { range in
            for row in range { (y + row &* D).update(from: source + indices[row] &* D, count: D) }
        }
    }
    return Tensor.recording("embedding", out, inputs: [table]) { g, _ in
        let upstream = g.base
        let gradient = Tensor.zeros([V, D])
        let d = gradient.base
        // Columns are split across threads, so repeated indices never race.
        parallelChunks(D, cost: n) { columns in
            for row in 0..<n {
                let target = d + indices[row] &* D
                let incoming = upstream + row &* D
                for j in columns { target[j] += incoming[j] }
            }
        }
        return [gradient]
    }
}
