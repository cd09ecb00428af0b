/// Delta (time-derivative) features, as `torchaudio.functional.compute_deltas`.
///
/// d[t] = Σₙ₌₁…N n (c[t + n] − c[t − n]) / (N(N + 1)(2N + 1) / 3), N = ⌊(window − 1) / 2⌋,
/// with frames before the first and after the last replaced by the first and last
/// ("replicate" padding). torchaudio works on `(..., freq, time)`; MusicSSL features are
/// `[frames, dims]`, so this runs along the first axis (fairseq transposes before and after).
///
/// - Parameters:
///   - features: [frames, dims]
///   - window: `win_length`, at least 3 (5 in HuBERT's recipe).
/// - Returns: [frames, dims]
/// - Throws: ``TensorError`` when `features` is not two-dimensional or `window` is below 3.
public func deltas(_ features: Tensor, window: Int = 5) throws -> Tensor {
    guard features.rank == 2 else {
        throw TensorError("deltas", "expected [frames, dims], got \(features.shape)")
    }
    guard window >= 3 else {
        throw TensorError("deltas", "window must be at least 3, got \(window)")
    }
    let (frames, dims) = (features.shape[0], features.shape[1])
    let x = features.base
    return Tensor.filling(features.shape) { out in
        writeDeltas(x, stride: dims, into: out, stride: dims, frames: frames, dims: dims, window)
    }
}

/// Writes the deltas of `dims` columns of `frames` rows (row strides given) to `target`.
func writeDeltas(
    _ source: UnsafePointer<Float>, stride sourceStride: Int,
    into target: UnsafeMutablePointer<Float>, stride targetStride: Int,
    frames: Int, dims: Int, _ window: Int
) {
    let reach = (window - 1) / 2
    // compute_deltas divides by the Python float n(n + 1)(2n + 1) / 3.
    let denominator = Float(reach * (reach + 1) * (2 * reach + 1)) / 3
    parallelChunks(frames, cost: dims * reach * 2) { range in
        for t in range {
            let row = target + t * targetStride
            for d in 0..<dims { row[d] = 0 }
            for n in 1...reach {
                let later = source + Swift.min(t + n, frames - 1) * sourceStride
                let earlier = source + Swift.max(t - n, 0) * sourceStride
                let weight = Float(n)
                for d in 0..<dims { row[d] += weight * (later[d] - earlier[d]) }
            }
            for d in 0..<dims { row[d] /= denominator }
        }
    }
}
