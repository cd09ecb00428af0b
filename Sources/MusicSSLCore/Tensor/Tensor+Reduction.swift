// Reductions over axes. Every reduction is expressed on the [outer, reduced, inner] view of its
// input, so one kernel serves any axis; several axes reduce one contiguous run at a time.

extension Tensor {
    /// Normalises `axis` (negative counts from the end) against `rank`.
    static func normalizedAxis(_ axis: Int, rank: Int, operation: String) throws -> Int {
        let normalized = axis < 0 ? axis + rank : axis
        guard normalized >= 0, normalized < Swift.max(rank, 1) else {
            throw TensorError(operation, "axis \(axis) is out of range for rank \(rank)")
        }
        return normalized
    }

    /// `(outer, reduced, inner)` extents for reducing axes `first...last` of `shape`.
    static func reductionExtents(_ shape: [Int], first: Int, last: Int) -> (Int, Int, Int) {
        let outer = shape[..<first].reduce(1, *)
        let reduced = shape[first...last].reduce(1, *)
        let inner = shape[(last + 1)...].reduce(1, *)
        return (outer, reduced, inner)
    }

    /// Sums a contiguous run of axes `first...last`, keeping them as extent-1 axes.
    func sumKernel(first: Int, last: Int) -> Tensor {
        let (outer, reduced, inner) = Tensor.reductionExtents(shape, first: first, last: last)
        var outShape = shape
        for axis in first...last { outShape[axis] = 1 }
        let x = base
        return Tensor.filling(outShape) { out in
            if inner == 1 {
                parallelChunks(outer, cost: reduced) { range in
                    for o in range { out[o] = sumContiguous(x + o &* reduced, reduced) }
                }
            } else {
                parallelChunks(outer, cost: reduced &* inner) { range in
                    for o in range {
                        let row = out + o &* inner
                        let source = x + o &* reduced &* inner
                        row.update(repeating: 0, count: inner)
                        for j in 0..<reduced {
                            let next = source + j &* inner
                            for i in 0..<inner { row[i] += next[i] }
                        }
                    }
                }
            }
        }
    }

    /// Sum over `axes` (all axes when empty is passed as `nil`).
    ///
    /// - Parameter keepingDimensions: keep reduced axes as extent 1 (PyTorch's `keepdim`).
    public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) throws -> Tensor {
        let normalized = try Set(axes.map { try Tensor.normalizedAxis($0, rank: rank, operation: "sum") }).sorted()
        var result = self.detached()
        // Reduce contiguous runs of axes, last run first, so earlier axis numbers stay valid.
        var runs: [(Int, Int)] = []
        for axis in normalized {
            if let last = runs.last, last.1 == axis - 1 { runs[runs.count - 1].1 = axis } else { runs.append((axis, axis)) }
        }
        for (first, last) in runs.reversed() where rank > 0 {
            result = result.sumKernel(first: first, last: last)
        }
        var outShape = result.shape
        if !keepingDimensions {
            outShape = shape.enumerated().filter { !normalized.contains($0.offset) }.map(\.element)
        }
        let out = Tensor(shape: outShape, storage: result.storage, offset: result.offset)
        let keptShape = result.shape
        return Tensor.recording("sum", out, inputs: [self]) { g, _ in
            [try g.reshaped(to: keptShape).broadcast(to: self.shape)]
        }
    }

    /// Sum of all elements as a scalar tensor.
    public func sum() throws -> Tensor {
        try reshaped(to: [count]).sum(alongAxes: [0])
    }

    /// Mean over `axes`.
    public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) throws -> Tensor {
        let normalized = try Set(axes.map { try Tensor.normalizedAxis($0, rank: rank, operation: "mean") })
        let n = normalized.reduce(1) { $0 * shape[$1] }
        return try sum(alongAxes: Array(normalized), keepingDimensions: keepingDimensions) * (1 / Float(Swift.max(n, 1)))
    }

    /// Mean of all elements as a scalar tensor.
    public func mean() throws -> Tensor {
        try sum() * (1 / Float(Swift.max(count, 1)))
    }

    /// Variance over `axes`, two-pass for accuracy.
    ///
    /// - Parameter isUnbiased: divide by n − 1 (PyTorch's default `correction=1`) instead of n.
    public func variance(
        alongAxes axes: [Int], isUnbiased: Bool = true, keepingDimensions: Bool = false
    ) throws -> Tensor {
        let normalized = try Set(axes.map { try Tensor.normalizedAxis($0, rank: rank, operation: "variance") })
        let n = normalized.reduce(1) { $0 * shape[$1] }
        let centered = try self - mean(alongAxes: Array(normalized), keepingDimensions: true)
        let divisor = Float(Swift.max(isUnbiased ? n - 1 : n, 1))
        return try centered.squared().sum(alongAxes: Array(normalized), keepingDimensions: keepingDimensions) * (1 / divisor)
    }

    /// Largest element along `axis`; the gradient goes to the first position of the maximum,
    /// as PyTorch's `Swift.max(dim=…)`.
    public func max(alongAxis axis: Int, keepingDimensions: Bool = false) throws -> Tensor {
        let (values, indices) = try maxWithIndices(alongAxis: axis)
        let a = try Tensor.normalizedAxis(axis, rank: rank, operation: "max")
        var outShape = shape
        outShape[a] = 1
        let kept = try values.reshaped(to: outShape)
        if !keepingDimensions { outShape.remove(at: a) }
        let out = try kept.reshaped(to: outShape)
        return Tensor.recording("max", out, inputs: [self]) { g, _ in
            let (outer, reduced, inner) = Tensor.reductionExtents(self.shape, first: a, last: a)
            let gradient = Tensor.zeros(self.shape)
            let d = gradient.base, u = g.base
            for o in 0..<outer {
                for i in 0..<inner {
                    let k = indices[o &* inner &+ i]
                    d[(o &* reduced &+ k) &* inner &+ i] = u[o &* inner &+ i]
                }
            }
            return [gradient]
        }
    }

    /// Index of the largest element along `axis` (first on ties), in row-major order of the
    /// remaining axes.
    public func argmax(alongAxis axis: Int) throws -> [Int] {
        try maxWithIndices(alongAxis: axis).indices
    }

    private func maxWithIndices(alongAxis axis: Int) throws -> (values: Tensor, indices: [Int]) {
        let a = try Tensor.normalizedAxis(axis, rank: rank, operation: "max")
        guard shape[a] > 0 else { throw TensorError("max", "axis \(axis) of shape \(shape) is empty") }
        let (outer, reduced, inner) = Tensor.reductionExtents(shape, first: a, last: a)
        var indices = [Int](repeating: 0, count: outer * inner)
        let x = base
        let values = Tensor.filling([outer * inner]) { out in
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = x[o &* reduced &* inner &+ i], bestIndex = 0
                    for j in 1..<reduced {
                        let v = x[(o &* reduced &+ j) &* inner &+ i]
                        if v > best || (v.isNaN && !best.isNaN) { best = v; bestIndex = j }
                    }
                    out[o &* inner &+ i] = best
                    indices[o &* inner &+ i] = bestIndex
                }
            }
        }
        return (values, indices)
    }
}

/// Sum of `n` contiguous floats with 16 independent accumulators (vectorised, and more accurate
/// than one running sum).
@inline(__always)
func sumContiguous(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var accumulator = SIMD16<Float>(repeating: 0)
    var i = 0
    while i &+ 16 <= n {
        accumulator += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
        i &+= 16
    }
    var total = accumulator.sum()
    while i < n {
        total += x[i]
        i &+= 1
    }
    return total
}
