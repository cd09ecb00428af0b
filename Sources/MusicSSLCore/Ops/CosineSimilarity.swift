// Cosine similarity with broadcasting. The similarity axis is moved last (by differentiable
// reshape/permute), then one fused op computes every pair of rows. When the pairs form a full
// grid (the codebook-logits case, [N, 1, D] against [1, K, D]) the dot products are one GEMM.

/// Cosine similarity along `axis`, as torch.nn.functional.cosine_similarity (torch 2.x):
/// Σ (a / max(‖a‖, ε)) · (b / max(‖b‖, ε)), each norm clamped on its own.
///
/// As in torch, the clamp does not enter the gradient: ∂a = g·(b/(nₐ·n_b) − cos·a/(nₐ·‖a‖)) with
/// nₐ = max(‖a‖, ε), and the second term is 0 for a zero vector.
///
/// - Parameters:
///   - a: any shape broadcastable with `b`.
///   - b: any shape broadcastable with `a`.
///   - axis: the axis of the broadcast shape that is summed over; negative counts from the end.
///   - epsilon: lower bound on each norm.
/// - Returns: the broadcast shape without `axis`.
/// - Throws: ``TensorError`` when the shapes do not broadcast or `axis` is out of range.
public func cosineSimilarity(
    _ a: Tensor, _ b: Tensor, alongAxis axis: Int = -1, epsilon: Float = 1e-8
) throws -> Tensor {
    let shape = try Tensor.broadcastShape(a.shape, b.shape, operation: "cosineSimilarity")
    guard !shape.isEmpty else {
        throw TensorError(
            "cosineSimilarity", "needs at least one axis, got \(a.shape) and \(b.shape)")
    }
    let r = shape.count
    let chosen = try Tensor.normalizedAxis(axis, rank: r, operation: "cosineSimilarity")
    // Equal ranks, the similarity axis last, and equal extents along it.
    var order = Array(0..<r)
    order.remove(at: chosen)
    order.append(chosen)
    func prepare(_ x: Tensor) throws -> Tensor {
        var y = try x.reshaped(to: [Int](repeating: 1, count: r - x.rank) + x.shape).permuted(order)
        if y.shape[r - 1] != shape[chosen] {
            var stretched = y.shape
            stretched[r - 1] = shape[chosen]
            y = try y.broadcast(to: stretched)
        }
        return y
    }
    return try rowCosineSimilarity(prepare(a), prepare(b), epsilon: epsilon)
}

/// The fused core: `a` [..., D] and `b` [..., D] of equal rank, leading axes broadcast.
private func rowCosineSimilarity(_ a: Tensor, _ b: Tensor, epsilon: Float) throws -> Tensor {
    let D = a.shape[a.rank - 1]
    let leadingA = Array(a.shape.dropLast())
    let leadingB = Array(b.shape.dropLast())
    let leading = try Tensor.broadcastShape(leadingA, leadingB, operation: "cosineSimilarity")
    let (Ra, Rb, O) = (leadingA.reduce(1, *), leadingB.reduce(1, *), leading.reduce(1, *))
    // Row of `a` and of `b` for each output element.
    let stridesA = Tensor.broadcastStrides(of: leadingA, to: leading)
    let stridesB = Tensor.broadcastStrides(of: leadingB, to: leading)
    var rowA = [Int](repeating: 0, count: O)
    var rowB = [Int](repeating: 0, count: O)
    for o in 0..<O {
        var remainder = o
        for axis in stride(from: leading.count - 1, through: 0, by: -1) {
            let index = remainder % leading[axis]
            remainder /= leading[axis]
            rowA[o] += index * stridesA[axis]
            rowB[o] += index * stridesB[axis]
        }
    }
    let isGrid = O == Ra * Rb && (0..<O).allSatisfy { rowA[$0] == $0 / Rb && rowB[$0] == $0 % Rb }
    let x = a.base
    let y = b.base
    let normA = rowNorms(x, rows: Ra, D)
    let normB = rowNorms(y, rows: Rb, D)
    let out = Tensor.filling(leading) { c in
        if isGrid {
            gemm(
                transposeA: false, transposeB: true, M: Ra, N: Rb, K: D, x, lda: D, y, ldb: D, c,
                ldc: Rb)
            parallelChunks(Ra, cost: Rb) { range in
                for i in range {
                    let scale = 1 / Swift.max(normA[i], epsilon)
                    let row = c + i &* Rb
                    for j in 0..<Rb { row[j] *= scale / Swift.max(normB[j], epsilon) }
                }
            }
        } else {
            parallelChunks(O, cost: D) { range in
                for o in range {
                    let (i, j) = (rowA[o], rowB[o])
                    let dot = dotContiguous(x + i &* D, y + j &* D, D)
                    c[o] = dot / (Swift.max(normA[i], epsilon) * Swift.max(normB[j], epsilon))
                }
            }
        }
    }
    return Tensor.recording("cosineSimilarity", out, inputs: [a, b]) { g, needs in
        let u = g.base
        let cosine = out.base
        let x = a.base
        let y = b.base
        // w[o] = g[o] / (nₐ·n_b) weighs the other operand's row; Σ g·cos over each row of a (of
        // b) weighs the row itself, through the norm's gradient.
        var w = [Float](repeating: 0, count: O)
        var radialA = [Float](repeating: 0, count: Ra)
        var radialB = [Float](repeating: 0, count: Rb)
        for o in 0..<O {
            w[o] = u[o] / (Swift.max(normA[rowA[o]], epsilon) * Swift.max(normB[rowB[o]], epsilon))
            radialA[rowA[o]] += u[o] * cosine[o]
            radialB[rowB[o]] += u[o] * cosine[o]
        }
        let gradientA = Tensor.zeros(a.shape)
        let gradientB = Tensor.zeros(b.shape)
        let da = gradientA.base
        let db = gradientB.base
        w.withUnsafeBufferPointer { weights in
            guard let w = weights.baseAddress else { return }
            if isGrid {
                if needs[0] {
                    gemm(
                        transposeA: false, transposeB: false, M: Ra, N: D, K: Rb, w, lda: Rb, y,
                        ldb: D, da, ldc: D)
                }
                if needs[1] {
                    gemm(
                        transposeA: true, transposeB: false, M: Rb, N: D, K: Ra, w, lda: Rb, x,
                        ldb: D, db, ldc: D)
                }
            } else {
                for o in 0..<O {
                    let weight = w[o]
                    let ra = rowA[o] &* D
                    let rb = rowB[o] &* D
                    if needs[0] { for j in 0..<D { da[ra &+ j] += weight * y[rb &+ j] } }
                    if needs[1] { for j in 0..<D { db[rb &+ j] += weight * x[ra &+ j] } }
                }
            }
        }
        if needs[0] { subtractRadial(da, x, radialA, normA, epsilon: epsilon, D) }
        if needs[1] { subtractRadial(db, y, radialB, normB, epsilon: epsilon, D) }
        return [needs[0] ? gradientA : nil, needs[1] ? gradientB : nil]
    }
}

/// Euclidean norm of each of `rows` contiguous rows of `D` floats.
private func rowNorms(_ x: UnsafePointer<Float>, rows: Int, _ D: Int) -> [Float] {
    var norms = [Float](repeating: 0, count: rows)
    norms.withUnsafeMutableBufferPointer { n in
        for row in 0..<rows { n[row] = dotContiguous(x + row &* D, x + row &* D, D).squareRoot() }
    }
    return norms
}

/// d[row] −= radial[row] / (max(‖x‖, ε)·‖x‖) · x[row]: the gradient through each row's norm
/// (none for a zero row, as torch's norm backward).
private func subtractRadial(
    _ d: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ radial: [Float],
    _ norms: [Float], epsilon: Float, _ D: Int
) {
    for row in 0..<norms.count where norms[row] > 0 {
        let coefficient = radial[row] / (Swift.max(norms[row], epsilon) * norms[row])
        let target = d + row &* D
        let source = x + row &* D
        for j in 0..<D { target[j] -= coefficient * source[j] }
    }
}
