// Matrix products through cblas_sgemm, with batch axes broadcast as torch.matmul does.

/// Matrix product of the last two axes, `op(a) · op(b)`, with leading (batch) axes broadcast.
///
/// - Parameters:
///   - a: `[..., M, K]`, or `[..., K, M]` when `transposingA`.
///   - b: `[..., K, N]`, or `[..., N, K]` when `transposingB`.
/// - Returns: `[..., M, N]`.
/// - Throws: ``TensorError`` when a rank is below 2, the inner extents differ or batches do not
///   broadcast.
///
/// Transposed operands are read in place by BLAS, never copied.
public func matmul(
    _ a: Tensor, _ b: Tensor, transposingA: Bool = false, transposingB: Bool = false
) throws -> Tensor {
    guard a.rank >= 2, b.rank >= 2 else {
        throw TensorError("matmul", "operands need rank ≥ 2, got \(a.shape) and \(b.shape)")
    }
    let (rowsA, columnsA) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
    let (rowsB, columnsB) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
    let (M, K) = transposingA ? (columnsA, rowsA) : (rowsA, columnsA)
    let (K2, N) = transposingB ? (columnsB, rowsB) : (rowsB, columnsB)
    guard K == K2 else {
        throw TensorError("matmul", "inner dimensions differ: \(a.shape)\(transposingA ? "ᵀ" : "") and \(b.shape)\(transposingB ? "ᵀ" : "")")
    }
    let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
    let batch = try Tensor.broadcastShape(batchA, batchB, operation: "matmul")
    let out: Tensor
    if b.rank == 2 && !transposingA {
        // Fold every batch row of `a` into M: one large GEMM instead of many small ones.
        let rows = a.count / Swift.max(K, 1)
        out = Tensor.filling(batch + [M, N]) { c in
            gemm(transposeA: false, transposeB: transposingB, M: rows, N: N, K: K,
                 a.base, lda: columnsA, b.base, ldb: columnsB, c, ldc: N)
        }
    } else {
        let stridesA = Tensor.broadcastStrides(of: batchA, to: batch)
        let stridesB = Tensor.broadcastStrides(of: batchB, to: batch)
        let count = batch.reduce(1, *)
        out = Tensor.filling(batch + [M, N]) { c in
            for index in 0..<count {
                var remainder = index, offsetA = 0, offsetB = 0
                for axis in stride(from: batch.count - 1, through: 0, by: -1) {
                    let i = remainder % batch[axis]
                    remainder /= batch[axis]
                    offsetA += i * stridesA[axis]
                    offsetB += i * stridesB[axis]
                }
                gemm(transposeA: transposingA, transposeB: transposingB, M: M, N: N, K: K,
                     a.base + offsetA * rowsA * columnsA, lda: columnsA,
                     b.base + offsetB * rowsB * columnsB, ldb: columnsB, c + index * M * N, ldc: N)
            }
        }
    }
    return Tensor.recording("matmul", out, inputs: [a, b]) { g, needs in
        var gradientA: Tensor?, gradientB: Tensor?
        if needs[0] {
            gradientA = transposingA
                ? try matmul(b, g, transposingA: transposingB, transposingB: true)
                : try matmul(g, b, transposingB: !transposingB)
            gradientA = try gradientA?.reducedSum(toShape: a.shape)
        }
        if needs[1] {
            if b.rank == 2 && !transposingA {
                let a2 = try a.reshaped(to: [-1, K]), g2 = try g.reshaped(to: [-1, N])
                gradientB = transposingB ? try matmul(g2, a2, transposingA: true) : try matmul(a2, g2, transposingA: true)
            } else {
                gradientB = transposingB
                    ? try matmul(g, a, transposingA: true, transposingB: transposingA)
                    : try matmul(a, g, transposingA: !transposingA)
                gradientB = try gradientB?.reducedSum(toShape: b.shape)
            }
        }
        return [gradientA, gradientB]
    }
}
