// Broadcasting as NumPy and PyTorch define it: shapes align at the trailing axis and an extent
// of 1 (or a missing leading axis) stretches to the other's extent.

extension Tensor {
    /// The shape two operands broadcast to.
    ///
    /// - Throws: ``TensorError`` naming `operation` when an axis has two extents neither of which is 1.
    public static func broadcastShape(_ a: [Int], _ b: [Int], operation: String = "broadcast") throws -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let x = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
            let y = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
            guard x == y || x == 1 || y == 1 else {
                throw TensorError(operation, "shapes \(a) and \(b) do not broadcast (axis \(axis): \(x) vs \(y))")
            }
            result[axis] = x == 1 ? y : x
        }
        return result
    }

    /// Element strides of a tensor of `shape` viewed as `target` (0 on broadcast axes).
    static func broadcastStrides(of shape: [Int], to target: [Int]) -> [Int] {
        let padding = target.count - shape.count
        var strides = [Int](repeating: 0, count: target.count)
        var step = 1
        for axis in stride(from: target.count - 1, through: padding, by: -1) {
            let extent = shape[axis - padding]
            strides[axis] = extent == 1 ? 0 : step
            step *= extent
        }
        return strides
    }

    /// Sums this tensor (a gradient of broadcast shape) down to `target`, undoing a broadcast.
    func reducedSum(toShape target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let padding = shape.count - target.count
        var axes: [Int] = Array(0..<padding)
        for axis in padding..<shape.count where target[axis - padding] == 1 && shape[axis] != 1 {
            axes.append(axis)
        }
        return try sum(alongAxes: axes, keepingDimensions: true).reshaped(to: target)
    }

    /// Applies `op` elementwise to two broadcast operands. The innermost loop is contiguous.
    static func broadcastingMap<F: BinaryScalarFunction>(
        _ a: Tensor, _ b: Tensor, operation: String, _ op: F
    ) throws -> Tensor {
        if a.shape == b.shape {
            return Tensor.filling(a.shape) { out in
                let x = a.base, y = b.base
                parallelChunks(a.count) { range in
                    for i in range { out[i] = op(x[i], y[i]) }
                }
            }
        }
        let shape = try broadcastShape(a.shape, b.shape, operation: operation)
        if b.count == 1 && a.count == shape.reduce(1, *) {
            let s = b.base[0]
            return Tensor.filling(shape) { out in
                let x = a.base
                parallelChunks(a.count) { range in
                    for i in range { out[i] = op(x[i], s) }
                }
            }
        }
        if a.count == 1 && b.count == shape.reduce(1, *) {
            let s = a.base[0]
            return Tensor.filling(shape) { out in
                let y = b.base
                parallelChunks(b.count) { range in
                    for i in range { out[i] = op(s, y[i]) }
                }
            }
        }
        return Tensor.filling(shape) { out in
            let stridesA = broadcastStrides(of: a.shape, to: shape)
            let stridesB = broadcastStrides(of: b.shape, to: shape)
            let inner = shape.last ?? 1
            let rows = shape.reduce(1, *) / Swift.max(inner, 1)
            let innerA = stridesA.last ?? 0, innerB = stridesB.last ?? 0
            let x = a.base, y = b.base
            parallelChunks(rows, cost: inner) { range in
                for row in range {
                    // Offsets of this row in each operand, from the row's multi-index.
                    var remainder = row, offsetA = 0, offsetB = 0
                    for axis in stride(from: shape.count - 2, through: 0, by: -1) {
                        let index = remainder % shape[axis]
                        remainder /= shape[axis]
                        offsetA &+= index &* stridesA[axis]
                        offsetB &+= index &* stridesB[axis]
                    }
                    let o = out + row &* inner, p = x + offsetA, q = y + offsetB
                    switch (innerA, innerB) {
                    case (1, 1): for i in 0..<inner { o[i] = op(p[i], q[i]) }
                    case (1, _): let s = q[0]; for i in 0..<inner { o[i] = op(p[i], s) }
                    case (_, 1): let s = p[0]; for i in 0..<inner { o[i] = op(s, q[i]) }
                    default: let s = op(p[0], q[0]); for i in 0..<inner { o[i] = s }
                    }
                }
            }
        }
    }

    /// Applies `op` to every element.
    func map<F: UnaryScalarFunction>(_ op: F) -> Tensor {
        Tensor.filling(shape) { out in
            let x = base
            parallelChunks(count) { range in
                for i in range { out[i] = op(x[i]) }
            }
        }
    }

    /// Applies `op` to pairs of elements of two tensors of the same shape.
    func zipMap<F: BinaryScalarFunction>(_ other: Tensor, _ op: F) -> Tensor {
        Tensor.filling(shape) { out in
            let x = base, y = other.base
            parallelChunks(count) { range in
                for i in range { out[i] = op(x[i], y[i]) }
            }
        }
    }
}
