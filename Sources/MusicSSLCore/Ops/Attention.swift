import Foundation

// Fused scaled dot-product attention: per (batch, head), S = scale·Q·Kᵀ (one GEMM, the scale
// folded into alpha), a masked row softmax in place, optional dropout of the probabilities, and
// O = P·V (one GEMM). The probabilities P are the only saved activation; the dropout mask is
// regenerated from its seed in the pullback.

/// Scaled dot-product attention, softmax(scale·Q·Kᵀ + mask)·V, as
/// torch.nn.functional.scaled_dot_product_attention with a boolean key mask.
///
/// Keys marked padded get probability exactly 0. A query whose keys are all padded (a batch
/// element that is padding only) attends to nothing: its output row and its gradients are 0.
/// (torch gives NaN there, HuggingFace's additive finfo.min bias uniform weights over the padding;
/// zeros keep padding from leaking into anything.)
///
/// - Parameters:
///   - query: [batch, heads, queryFrames, headDimensions].
///   - key: [batch, heads, keyFrames, headDimensions].
///   - value: [batch, heads, keyFrames, valueDimensions].
///   - keyPaddingMask: nil, or batch·keyFrames flags in row-major [batch, keyFrames] order;
///     `true` marks a padded key, never attended to.
///   - scale: multiplies Q·Kᵀ; default 1/√headDimensions.
///   - dropoutProbability: chance of zeroing each attention probability (survivors scaled by
///     1/(1 − p)); 0 disables dropout and draws nothing from `generator`.
///   - generator: source of the dropout mask's seed (one 64-bit draw when dropout is on).
/// - Returns: [batch, heads, queryFrames, valueDimensions].
/// - Throws: ``TensorError`` when a shape, the mask length or the probability is invalid.
public func scaledDotProductAttention(
    query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: [Bool]? = nil,
    scale: Float? = nil, dropoutProbability: Float = 0,
    using generator: inout some RandomNumberGenerator
) throws -> Tensor {
    let operation = "scaledDotProductAttention"
    guard query.rank == 4, key.rank == 4, value.rank == 4 else {
        throw TensorError(
            operation,
            "query, key and value must be [batch, heads, frames, dimensions], got "
                + "\(query.shape), \(key.shape) and \(value.shape)")
    }
    let (B, H, Tq, D) = (query.shape[0], query.shape[1], query.shape[2], query.shape[3])
    let (Tk, Dv) = (key.shape[2], value.shape[3])
    guard key.shape == [B, H, Tk, D], value.shape == [B, H, Tk, Dv] else {
        throw TensorError(
            operation,
            "key and value must be [\(B), \(H), keyFrames, …] with key dimensions \(D) and "
                + "as many value frames, got query \(query.shape), key \(key.shape), "
                + "value \(value.shape)")
    }
    if let keyPaddingMask, keyPaddingMask.count != B * Tk {
        throw TensorError(
            operation,
            "keyPaddingMask has \(keyPaddingMask.count) flags, expected batch·keyFrames = "
                + "\(B * Tk) for key \(key.shape)")
    }
    guard dropoutProbability >= 0, dropoutProbability <= 1 else {
        throw TensorError(
            operation, "dropoutProbability must be in [0, 1], got \(dropoutProbability)")
    }
    let alpha = scale ?? 1 / Float(D).squareRoot()
    let dropoutMask =
        dropoutProbability > 0
        ? DropoutMask(probability: dropoutProbability, seed: generator.next()) : nil
    // Head h of local row b is head (first row)·H + b·H + h of the global batch (BatchShard),
    // whose index keys its dropout block.
    let blockOffset = dropoutMask == nil ? 0 : try BatchShard.globalOffset(ofElementCount: B * H, operation: operation)
    // 1 for a key that may be attended to, 0 for a padded one, per [batch, keyFrames].
    let keep = keyPaddingMask.map { flags in Tensor(flags.map { $0 ? 0 : 1 }) }

    let heads = B * H
    let (qStride, kStride, vStride) = (Tq * D, Tk * D, Tk * Dv)
    let (pStride, oStride) = (Tq * Tk, Tq * Dv)
    let probabilityStorage = TensorStorage(uninitializedCapacity: heads * pStride)
    let outputStorage = TensorStorage(uninitializedCapacity: heads * oStride)
    let q = query.base
    let k = key.base
    let v = value.base
    let p = probabilityStorage.pointer
    let o = outputStorage.pointer
    forEachHead(heads, scratchCount: dropoutMask == nil ? 0 : pStride) { head, scratch in
        let scores = p + head &* pStride
        gemm(
            transposeA: false, transposeB: true, M: Tq, N: Tk, K: D, alpha: alpha,
            q + head &* qStride, lda: D, k + head &* kStride, ldb: D, scores, ldc: Tk)
        if let keep {
            let flags = keep.base + (head / H) &* Tk
            for i in 0..<Tq { maskedSoftmaxRow(scores + i &* Tk, keep: flags, Tk) }
        } else {
            for i in 0..<Tq { softmaxRow(scores + i &* Tk, scores + i &* Tk, Tk) }
        }
        var weights = UnsafePointer(scores)
        if let dropoutMask {
            dropoutMask.apply(block: blockOffset &+ head, scores, scratch, pStride)
            weights = UnsafePointer(scratch)
        }
        gemm(
            transposeA: false, transposeB: false, M: Tq, N: Dv, K: Tk,
            weights, lda: Tk, v + head &* vStride, ldb: Dv, o + head &* oStride, ldc: Dv)
    }
    let probabilities = Tensor(shape: [B, H, Tq, Tk], storage: probabilityStorage)
    let out = Tensor(shape: [B, H, Tq, Dv], storage: outputStorage)

    return Tensor.recording(operation, out, inputs: [query, key, value]) { g, needs in
        // Per head: dV = P̃ᵀ·dO with P̃ the dropped-out probabilities; dP̃ = dO·Vᵀ, dP = dP̃
        // where kept (× 1/(1 − p)); dS = P ⊙ (dP − rowsum(dP ⊙ P)); dQ = scale·dS·K and
        // dK = scale·dSᵀ·Q.
        let dO = g.base
        let p = probabilities.base
        let q = query.base
        let k = key.base
        let v = value.base
        let dQ = needs[0] ? TensorStorage(uninitializedCapacity: heads * qStride) : nil
        let dK = needs[1] ? TensorStorage(uninitializedCapacity: heads * kStride) : nil
        let dV = needs[2] ? TensorStorage(uninitializedCapacity: heads * vStride) : nil
        let needsScores = needs[0] || needs[1]
        let scratchCount = (dropoutMask == nil ? 0 : pStride) + (needsScores ? pStride : 0)
        forEachHead(heads, scratchCount: scratchCount) { head, scratch in
            let probabilities = p + head &* pStride
            let upstream = dO + head &* oStride
            var weights = UnsafePointer(probabilities)
            var gradientScores = scratch
            if let dropoutMask {
                dropoutMask.apply(block: blockOffset &+ head, probabilities, scratch, pStride)
                weights = UnsafePointer(scratch)
                gradientScores = scratch + pStride
            }
            if let dV {
                gemm(
                    transposeA: true, transposeB: false, M: Tk, N: Dv, K: Tq, weights, lda: Tk,
                    upstream, ldb: Dv, dV.pointer + head &* vStride, ldc: Dv)
            }
            guard needsScores else { return }
            let dS = gradientScores
            gemm(
                transposeA: false, transposeB: true, M: Tq, N: Tk, K: Dv, upstream, lda: Dv,
                v + head &* vStride, ldb: Dv, dS, ldc: Tk)
            let keepScale = dropoutMask?.keepScale ?? 1
            for i in 0..<Tq {
                let row = dS + i &* Tk
                let probability = probabilities + i &* Tk
                if dropoutMask != nil {
                    // A probability of 0 has a zero score gradient whatever its mask, so a
                    // nonzero P̃ marks exactly the kept entries that matter.
                    let kept = weights + i &* Tk
                    for j in 0..<Tk { row[j] *= kept[j] != 0 ? keepScale : 0 }
                }
                let dot = dotContiguous(row, probability, Tk)
                for j in 0..<Tk { row[j] = probability[j] * (row[j] - dot) }
            }
            if let dQ {
                gemm(
                    transposeA: false, transposeB: false, M: Tq, N: D, K: Tk, alpha: alpha,
                    dS, lda: Tk, k + head &* kStride, ldb: D, dQ.pointer + head &* qStride, ldc: D)
            }
            if let dK {
                gemm(
                    transposeA: true, transposeB: false, M: Tk, N: D, K: Tq, alpha: alpha,
                    dS, lda: Tk, q + head &* qStride, ldb: D, dK.pointer + head &* kStride, ldc: D)
            }
        }
        return [
            dQ.map { Tensor(shape: query.shape, storage: $0) },
            dK.map { Tensor(shape: key.shape, storage: $0) },
            dV.map { Tensor(shape: value.shape, storage: $0) },
        ]
    }
}

/// Softmax of one row of attention scores over the keys whose `keep` flag is nonzero; padded
/// keys get exactly 0, and a row with no key left becomes all zeros.
@inline(__always)
private func maskedSoftmaxRow(
    _ s: UnsafeMutablePointer<Float>, keep: UnsafePointer<Float>, _ n: Int
) {
    for j in 0..<n { s[j] = keep[j] != 0 ? s[j] : -.infinity }
    let m = maximumContiguous(s, n)
    guard m > -.infinity else {
        s.update(repeating: 0, count: n)
        return
    }
    for j in 0..<n { s[j] = shiftedExp(s[j] - m) }
    let inverse = 1 / sumContiguous(s, n)
    for j in 0..<n { s[j] *= inverse }
}

/// Runs `body` for each head index with a private scratch buffer of `scratchCount` floats.
///
/// Heads run in parallel on our threads with OpenBLAS single-threaded meanwhile: a head's
/// GEMMs (250×250×64 in the base model) are too small for OpenBLAS's threads to pay off. On
/// [8, 12, 250, 64] (2 cores) this took forward+backward from 60 ms (heads in turn, OpenBLAS
/// threading each GEMM) to 49 ms. OpenBLAS's thread count is process-wide, so GEMMs other
/// threads run meanwhile are single-threaded too.
private func forEachHead(
    _ heads: Int, scratchCount: Int, _ body: (Int, UnsafeMutablePointer<Float>) -> Void
) {
    let threads = Swift.min(Parallelism.threadCount, heads)
    if threads <= 1 {
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(scratchCount, 1))
        defer { scratch.deallocate() }
        for head in 0..<heads { body(head, scratch) }
        return
    }
    BLAS.withSingleThreadedGEMM {
        DispatchQueue.concurrentPerform(iterations: threads) { chunk in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(scratchCount, 1))
            defer { scratch.deallocate() }
            for head in (heads * chunk / threads)..<(heads * (chunk + 1) / threads) {
                body(head, scratch)
            }
        }
    }
}
