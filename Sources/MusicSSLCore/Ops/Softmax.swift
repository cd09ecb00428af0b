// Softmax and log-softmax along one axis, each a single fused op with its pullback below it.
// A row along the last axis is contiguous and takes the vectorised row kernels; another axis is
// walked as `[outer, n, inner]` with the `inner` elements of each step contiguous.

extension Tensor {
    /// e^x / Σ e^x along `axis`, as torch.softmax.
    ///
    /// Entries of −∞ get probability exactly 0; a slice that is all −∞ gives NaN, as in torch.
    ///
    /// - Parameter axis: the axis normalised over; negative counts from the end.
    /// - Returns: a tensor of the same shape.
    /// - Throws: ``TensorError`` when `axis` is out of range or the tensor is a scalar.
    public func softmax(alongAxis axis: Int = -1) throws -> Tensor {
        let (outer, n, inner) = try softmaxExtents(axis, operation: "softmax")
        let x = base
        let out = Tensor.filling(shape) { y in
            forEachSlice(outer: outer, n: n, inner: inner) { o in
                let source = x + o &* n &* inner
                let target = y + o &* n &* inner
                if inner == 1 {
                    softmaxRow(source, target, n)
                } else {
                    stridedSoftmax(source, target, n: n, inner: inner, isLogarithmic: false)
                }
            }
        }
        return Tensor.recording("softmax", out, inputs: [self]) { g, _ in
            // ∂x = y ⊙ (∂y − Σ ∂y ⊙ y) along the axis.
            let y = out.base
            let u = g.base
            return [
                Tensor.filling(out.shape) { d in
                    forEachSlice(outer: outer, n: n, inner: inner) { o in
                        let start = o &* n &* inner
                        if inner == 1 {
                            let dot = dotContiguous(u + start, y + start, n)
                            for j in start..<(start &+ n) { d[j] = y[j] * (u[j] - dot) }
                        } else {
                            stridedSoftmaxPullback(
                                u + start, y + start, d + start, n: n, inner: inner,
                                isLogarithmic: false)
                        }
                    }
                }
            ]
        }
    }

    /// x − log Σ e^x along `axis`, as torch.log_softmax (computed without forming e^x / Σ e^x,
    /// so that very negative log-probabilities stay finite).
    ///
    /// - Parameter axis: the axis normalised over; negative counts from the end.
    /// - Returns: a tensor of the same shape.
    /// - Throws: ``TensorError`` when `axis` is out of range or the tensor is a scalar.
    public func logSoftmax(alongAxis axis: Int = -1) throws -> Tensor {
        let (outer, n, inner) = try softmaxExtents(axis, operation: "logSoftmax")
        let x = base
        let out = Tensor.filling(shape) { y in
            forEachSlice(outer: outer, n: n, inner: inner) { o in
                let source = x + o &* n &* inner
                let target = y + o &* n &* inner
                if inner == 1 {
                    let shift = logSumExpRow(source, target, n)
                    for j in 0..<n { target[j] = source[j] - shift }
                } else {
                    stridedSoftmax(source, target, n: n, inner: inner, isLogarithmic: true)
                }
            }
        }
        return Tensor.recording("logSoftmax", out, inputs: [self]) { g, _ in
            // ∂x = ∂y − e^y · Σ ∂y along the axis.
            let y = out.base
            let u = g.base
            return [
                Tensor.filling(out.shape) { d in
                    forEachSlice(outer: outer, n: n, inner: inner) { o in
                        let start = o &* n &* inner
                        if inner == 1 {
                            let total = sumContiguous(u + start, n)
                            for j in start..<(start &+ n) { d[j] = u[j] - vectorExp(y[j]) * total }
                        } else {
                            stridedSoftmaxPullback(
                                u + start, y + start, d + start, n: n, inner: inner,
                                isLogarithmic: true)
                        }
                    }
                }
            ]
        }
    }

    /// `(outer, n, inner)` for normalising over `axis`, after validating it.
    private func softmaxExtents(_ axis: Int, operation: String) throws -> (Int, Int, Int) {
        guard rank > 0 else {
            throw TensorError(operation, "needs at least one axis, got a scalar")
        }
        let a = try Tensor.normalizedAxis(axis, rank: rank, operation: operation)
        return Tensor.reductionExtents(shape, first: a, last: a)
    }
}

/// Runs `body` for each of the `outer` slices of `n × inner` elements, in parallel when large.
@inline(__always)
private func forEachSlice(outer: Int, n: Int, inner: Int, _ body: (Int) -> Void) {
    guard n > 0, inner > 0 else { return }
    parallelChunks(outer, cost: n &* inner &* 4) { range in
        for o in range { body(o) }
    }
}

/// Softmax (or log-softmax) of one `[n, inner]` slice over its first axis; the `inner` lanes are
/// contiguous, so every step is a vectorised pass over them.
private func stridedSoftmax(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, n: Int, inner: Int,
    isLogarithmic: Bool
) {
    let maximum = UnsafeMutablePointer<Float>.allocate(capacity: 2 &* inner)
    defer { maximum.deallocate() }
    let sum = maximum + inner
    maximum.update(from: x, count: inner)
    for j in 1..<n {
        let row = x + j &* inner
        for i in 0..<inner { maximum[i] = Swift.max(maximum[i], row[i]) }
    }
    sum.update(repeating: 0, count: inner)
    for j in 0..<n {
        let row = x + j &* inner
        let target = y + j &* inner
        for i in 0..<inner {
            let e = shiftedExp(row[i] - maximum[i])
            target[i] = e
            sum[i] += e
        }
    }
    if isLogarithmic {
        for i in 0..<inner { sum[i] = maximum[i] + _logf(sum[i]) }
        for j in 0..<n {
            let row = x + j &* inner
            let target = y + j &* inner
            for i in 0..<inner { target[i] = row[i] - sum[i] }
        }
    } else {
        for i in 0..<inner { sum[i] = 1 / sum[i] }
        for j in 0..<n {
            let target = y + j &* inner
            for i in 0..<inner { target[i] *= sum[i] }
        }
    }
}

/// Pullback of ``stridedSoftmax(_:_:n:inner:isLogarithmic:)`` for one `[n, inner]` slice.
private func stridedSoftmaxPullback(
    _ u: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>,
    n: Int, inner: Int, isLogarithmic: Bool
) {
    let total = UnsafeMutablePointer<Float>.allocate(capacity: inner)
    defer { total.deallocate() }
    total.update(repeating: 0, count: inner)
    for j in 0..<n {
        let upstream = u + j &* inner
        let output = y + j &* inner
        if isLogarithmic {
            for i in 0..<inner { total[i] += upstream[i] }
        } else {
            for i in 0..<inner { total[i] += upstream[i] * output[i] }
        }
    }
    for j in 0..<n {
        let upstream = u + j &* inner
        let output = y + j &* inner
        let target = d + j &* inner
        if isLogarithmic {
            for i in 0..<inner { target[i] = upstream[i] - vectorExp(output[i]) * total[i] }
        } else {
            for i in 0..<inner { target[i] = output[i] * (upstream[i] - total[i]) }
        }
    }
}
