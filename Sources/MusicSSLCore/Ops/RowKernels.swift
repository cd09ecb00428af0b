// Contiguous-row kernels shared by softmax, the losses and attention: maximum, dot product and
// the exp-normalise step, each written so that the compiler vectorises it.

/// Largest of `n ≥ 1` contiguous floats (16 lanes at a time).
@inline(__always)
func maximumContiguous(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var i = 0
    var best: Float = -.infinity
    if n >= 16 {
        var lanes = UnsafeRawPointer(x).loadUnaligned(as: SIMD16<Float>.self)
        i = 16
        while i &+ 16 <= n {
            // A compare and blend; pointwiseMax's NaN rules compile to scalar code.
            let next = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            lanes.replace(with: next, where: next .> lanes)
            i &+= 16
        }
        best = lanes.max()
    }
    while i < n {
        best = Swift.max(best, x[i])
        i &+= 1
    }
    return best
}

/// Σ x[i]·y[i] over `n` contiguous floats with 16 independent accumulators.
@inline(__always)
func dotContiguous(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
    var accumulator = SIMD16<Float>(repeating: 0)
    var i = 0
    while i &+ 16 <= n {
        let a = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
        let b = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
        accumulator.addProduct(a, b)
        i &+= 16
    }
    var total = accumulator.sum()
    while i < n {
        total += x[i] * y[i]
        i &+= 1
    }
    return total
}

/// e^`d` for a shifted logit `d ≤ 0`, exactly 0 below the smallest normal float, so that −∞
/// logits (masks) get exactly zero probability rather than `vectorExp`'s clamped 1e-38.
@inline(__always)
func shiftedExp(_ d: Float) -> Float {
    let e = vectorExp(d)
    return d >= -87.336_54 ? e : 0
}

/// Writes e^(x − max) to `out` and returns Σ e^(x − max) and max, for one row of `n ≥ 1`.
///
/// `out` may alias `x`. A row whose maximum is −∞ or NaN gives NaN, as torch.
@inline(__always)
func exponentiateRow(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int
) -> (sum: Float, maximum: Float) {
    let m = maximumContiguous(x, n)
    for j in 0..<n { out[j] = shiftedExp(x[j] - m) }
    return (sumContiguous(out, n), m)
}

/// Softmax of one contiguous row of `n ≥ 1` floats; `out` may alias `x`.
@inline(__always)
func softmaxRow(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
    let inverse = 1 / exponentiateRow(x, out, n).sum
    for j in 0..<n { out[j] *= inverse }
}

/// log Σ e^x of one contiguous row of `n ≥ 1` floats, using `scratch` (n floats) for the
/// exponentials.
@inline(__always)
func logSumExpRow(
    _ x: UnsafePointer<Float>, _ scratch: UnsafeMutablePointer<Float>, _ n: Int
) -> Float {
    let (sum, m) = exponentiateRow(x, scratch, n)
    return m + _logf(sum)
}
