// Gathering and scattering rows: index-select along an axis, and the masked row selection the
// masked-prediction objectives use to pick (and replace) masked frames.

extension Tensor {
    /// Elements at `indices` along `axis`, in that order (`torch.index_select`).
    ///
    /// - Throws: ``TensorError`` when an index is out of range.
    public func indexSelect(alongAxis axis: Int, indices: [Int]) throws -> Tensor {
        let a = try Tensor.normalizedAxis(axis, rank: rank, operation: "indexSelect")
        let (outer, extent, inner) = Tensor.reductionExtents(shape, first: a, last: a)
        if let bad = indices.first(where: { $0 < 0 || $0 >= extent }) {
            throw TensorError("indexSelect", "index \(bad) is out of range for axis \(axis) of shape \(shape)")
        }
        var outShape = shape
        outShape[a] = indices.count
        let x = base
        let out = Tensor.filling(outShape) { o in
            for row in 0..<outer {
                for (j, index) in indices.enumerated() {
                    (o + (row &* indices.count &+ j) &* inner).update(
                        from: x + (row &* extent &+ index) &* inner, count: inner)
                }
            }
        }
        return Tensor.recording("indexSelect", out, inputs: [self]) { g, _ in
            let gradient = Tensor.zeros(self.shape)
            let d = gradient.base, u = g.base
            for row in 0..<outer {
                for (j, index) in indices.enumerated() {
                    let target = d + (row &* extent &+ index) &* inner
                    let source = u + (row &* indices.count &+ j) &* inner
                    for i in 0..<inner { target[i] += source[i] }
                }
            }
            return [gradient]
        }
    }

    /// Splits the shape into the leading axes a row mask of `maskCount` entries covers, and the
    /// row size after them.
    private func rowLayout(maskCount: Int, operation: String) throws -> (rowShape: [Int], rowSize: Int) {
        var leading = 1
        for k in 0..<rank {
            leading *= shape[k]
            if leading == maskCount {
                let rowShape = Array(shape[(k + 1)...])
                return (rowShape, rowShape.reduce(1, *))
            }
        }
        throw TensorError(operation, "mask of \(maskCount) entries does not cover the leading axes of \(shape)")
    }

    /// The rows where `mask` is true, stacked: for `x` of shape `[B, T, D]` and a `[B, T]` mask
    /// (row-major, `B·T` entries) the result is `[masked count, D]`.
    public func selectingRows(where mask: [Bool]) throws -> Tensor {
        let (rowShape, rowSize) = try rowLayout(maskCount: mask.count, operation: "selectingRows")
        let rows = mask.indices.filter { mask[$0] }
        let x = base
        let out = Tensor.filling([rows.count] + rowShape) { o in
            for (j, row) in rows.enumerated() {
                (o + j &* rowSize).update(from: x + row &* rowSize, count: rowSize)
            }
        }
        return Tensor.recording("selectingRows", out, inputs: [self]) { g, _ in
            let gradient = Tensor.zeros(self.shape)
            for (j, row) in rows.enumerated() {
                (gradient.base + row &* rowSize).update(from: g.base + j &* rowSize, count: rowSize)
            }
            return [gradient]
        }
    }

    /// This tensor with the rows where `mask` is true replaced, in order, by the rows of
    /// `replacements` (`[masked count, ...row shape]`): the inverse of ``selectingRows(where:)``.
    public func scatteringRows(_ replacements: Tensor, where mask: [Bool]) throws -> Tensor {
        let (rowShape, rowSize) = try rowLayout(maskCount: mask.count, operation: "scatteringRows")
        let rows = mask.indices.filter { mask[$0] }
        guard replacements.shape == [rows.count] + rowShape else {
            throw TensorError("scatteringRows", "replacements \(replacements.shape) for \(rows.count) masked rows of \(shape)")
        }
        var out = copy()
        out.withMutableBase { o in
            for (j, row) in rows.enumerated() {
                (o + row &* rowSize).update(from: replacements.base + j &* rowSize, count: rowSize)
            }
        }
        return Tensor.recording("scatteringRows", out, inputs: [self, replacements]) { g, needs in
            var kept: Tensor?
            if needs[0] {
                var gradient = g.copy()
                gradient.withMutableBase { d in
                    for row in rows { (d + row &* rowSize).update(repeating: 0, count: rowSize) }
                }
                kept = gradient
            }
            return [kept, needs[1] ? try g.selectingRows(where: mask) : nil]
        }
    }

    /// This tensor with every row where `mask` is true replaced by the same `row`, as HuBERT
    /// and data2vec replace masked frames with the learned mask embedding.
    ///
    /// - Parameters:
    ///   - mask: one entry per row of the leading axes (e.g. `[B, T]` for `[B, T, D]`).
    ///   - row: the replacement, shaped like one row (e.g. `[D]`).
    public func replacingRows(where mask: [Bool], with row: Tensor) throws -> Tensor {
        let (rowShape, rowSize) = try rowLayout(maskCount: mask.count, operation: "replacingRows")
        guard row.shape == rowShape else {
            throw TensorError("replacingRows", "replacement \(row.shape) for rows of shape \(rowShape) in \(shape)")
        }
        var out = copy()
        out.withMutableBase { o in
            for index in mask.indices where mask[index] {
                (o + index &* rowSize).update(from: row.base, count: rowSize)
            }
        }
        return Tensor.recording("replacingRows", out, inputs: [self, row]) { g, needs in
            var kept: Tensor?, rowGradient: Tensor?
            if needs[0] {
                var gradient = g.copy()
                gradient.withMutableBase { d in
                    for index in mask.indices where mask[index] {
                        (d + index &* rowSize).update(repeating: 0, count: rowSize)
                    }
                }
                kept = gradient
            }
            if needs[1] {
                rowGradient = Tensor.filling(rowShape) { r in
                    r.update(repeating: 0, count: rowSize)
                    for index in mask.indices where mask[index] {
                        let source = g.base + index &* rowSize
                        for i in 0..<rowSize { r[i] += source[i] }
                    }
                }
            }
            return [kept, rowGradient]
        }
    }
}
