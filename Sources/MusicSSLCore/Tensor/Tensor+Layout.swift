// Layout: reshape (a view), broadcast, permute, slice, concatenate, stack. Each op's pullback
// is the inverse layout change of the gradient.

extension Tensor {
    /// The same elements under a new shape (a view, no copy). One extent may be −1 (inferred).
    public func reshaped(to newShape: [Int]) throws -> Tensor {
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.reduce(1) { $0 * $1.element }
            guard known > 0, count % known == 0 else {
                throw TensorError("reshape", "cannot reshape \(shape) (\(count) elements) to \(newShape)")
            }
            resolved[inferred] = count / known
        }
        guard resolved.allSatisfy({ $0 >= 0 }), resolved.reduce(1, *) == count else {
            throw TensorError("reshape", "cannot reshape \(shape) (\(count) elements) to \(newShape)")
        }
        let out = Tensor(shape: resolved, storage: storage, offset: offset)
        let original = shape
        return Tensor.recording("reshape", out, inputs: [self]) { g, _ in [try g.reshaped(to: original)] }
    }

    /// Copies this tensor stretched to `target` by broadcasting.
    public func broadcast(to target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let resolved = try Tensor.broadcastShape(shape, target, operation: "broadcast")
        guard resolved == target else {
            throw TensorError("broadcast", "cannot broadcast \(shape) to \(target)")
        }
        let out = try Tensor.broadcastingMap(Tensor.zeros(target).detached(), detached(), operation: "broadcast", Second())
        let original = shape
        return Tensor.recording("broadcast", out, inputs: [self]) { g, _ in [try g.reducedSum(toShape: original)] }
    }

    /// The axes reordered: output axis `i` is input axis `order[i]` (a copy).
    public func permuted(_ order: [Int]) throws -> Tensor {
        let axes = try order.map { try Tensor.normalizedAxis($0, rank: rank, operation: "permute") }
        guard axes.count == rank, Set(axes).count == rank else {
            throw TensorError("permute", "order \(order) is not a permutation of the \(rank) axes of \(shape)")
        }
        if axes == Array(0..<rank) { return self }
        let out = permuteKernel(axes)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, axis) in axes.enumerated() { inverse[axis] = i }
        return Tensor.recording("permute", out, inputs: [self]) { g, _ in [try g.permuted(inverse)] }
    }

    /// Swaps two axes (a copy).
    public func transposed(_ first: Int = -2, _ second: Int = -1) throws -> Tensor {
        var order = Array(0..<rank)
        let a = try Tensor.normalizedAxis(first, rank: rank, operation: "transpose")
        let b = try Tensor.normalizedAxis(second, rank: rank, operation: "transpose")
        order.swapAt(a, b)
        return try permuted(order)
    }

    private func permuteKernel(_ axes: [Int]) -> Tensor {
        let outShape = axes.map { shape[$0] }
        var inputStrides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) {
            inputStrides[axis] = inputStrides[axis + 1] * shape[axis + 1]
        }
        let strides = axes.map { inputStrides[$0] }
        let inner = outShape.last ?? 1
        let innerStride = strides.last ?? 1
        let rows = count / Swift.max(inner, 1)
        let x = base
        return Tensor.filling(outShape) { out in
            parallelChunks(rows, cost: inner) { range in
                for row in range {
                    var remainder = row, source = 0
                    for axis in stride(from: outShape.count - 2, through: 0, by: -1) {
                        source &+= (remainder % outShape[axis]) &* strides[axis]
                        remainder /= outShape[axis]
                    }
                    let o = out + row &* inner, p = x + source
                    for i in 0..<inner { o[i] = p[i &* innerStride] }
                }
            }
        }
    }

    /// Elements `range` along `axis` (a view when `axis` is the first non-unit axis, else a copy).
    public func sliced(alongAxis axis: Int, _ range: Range<Int>) throws -> Tensor {
        let a = try Tensor.normalizedAxis(axis, rank: rank, operation: "slice")
        guard range.lowerBound >= 0, range.upperBound <= shape[a] else {
            throw TensorError("slice", "range \(range) is out of bounds for axis \(axis) of shape \(shape)")
        }
        var outShape = shape
        outShape[a] = range.count
        let (outer, extent, inner) = Tensor.reductionExtents(shape, first: a, last: a)
        let out: Tensor
        if outer == 1 {
            out = Tensor(shape: outShape, storage: storage, offset: offset + range.lowerBound * inner)
        } else {
            let x = base
            out = Tensor.filling(outShape) { o in
                for row in 0..<outer {
                    (o + row &* range.count &* inner).update(
                        from: x + (row &* extent &+ range.lowerBound) &* inner, count: range.count &* inner)
                }
            }
        }
        let original = shape
        return Tensor.recording("slice", out, inputs: [self]) { g, _ in
            let gradient = Tensor.zeros(original)
            let d = gradient.base, u = g.base
            for row in 0..<outer {
                (d + (row &* extent &+ range.lowerBound) &* inner).update(
                    from: u + row &* range.count &* inner, count: range.count &* inner)
            }
            return [gradient]
        }
    }

    /// Joins `tensors` along `axis`; all other extents must agree.
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError("concatenate", "no tensors to join") }
        let a = try normalizedAxis(axis, rank: first.rank, operation: "concatenate")
        for tensor in tensors where tensor.rank != first.rank
            || tensor.shape.enumerated().contains(where: { $0.offset != a && $0.element != first.shape[$0.offset] })
        {
            throw TensorError("concatenate", "shapes \(first.shape) and \(tensor.shape) differ off axis \(axis)")
        }
        var outShape = first.shape
        outShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
        let outer = first.shape[..<a].reduce(1, *)
        let inner = first.shape[(a + 1)...].reduce(1, *)
        let rowLength = outShape[a] * inner
        let out = filling(outShape) { o in
            var start = 0
            for tensor in tensors {
                let piece = tensor.shape[a] * inner
                let x = tensor.base
                for row in 0..<outer {
                    (o + (row &* rowLength &+ start)).update(from: x + row &* piece, count: piece)
                }
                start += piece
            }
        }
        let extents = tensors.map { $0.shape[a] }
        return recording("concatenate", out, inputs: tensors) { g, needs in
            var start = 0
            return try zip(extents, needs).map { extent, needed in
                defer { start += extent }
                return needed ? try g.sliced(alongAxis: a, start..<(start + extent)) : nil
            }
        }
    }

    /// Stacks equally shaped `tensors` along a new axis at `axis`.
    public static func stack(_ tensors: [Tensor], alongAxis axis: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError("stack", "no tensors to stack") }
        let a = axis < 0 ? axis + first.rank + 1 : axis
        guard a >= 0, a <= first.rank else {
            throw TensorError("stack", "axis \(axis) is out of range for rank \(first.rank + 1)")
        }
        var expanded = first.shape
        expanded.insert(1, at: a)
        let pieces = try tensors.map { tensor -> Tensor in
            guard tensor.shape == first.shape else {
                throw TensorError("stack", "shapes \(first.shape) and \(tensor.shape) differ")
            }
            return try tensor.reshaped(to: expanded)
        }
        return try concatenate(pieces, alongAxis: a)
    }
}
