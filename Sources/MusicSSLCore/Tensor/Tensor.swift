/// An n-dimensional array of `Float32`, stored contiguously in row-major order.
///
/// Tensors are values: copying one is cheap (storage is shared) and a write copies the storage
/// first when another tensor still uses it. Reshapes and slices along the first axis are views
/// of the same storage; other layout changes copy.
///
/// A tensor that depends on a parameter (or on a tensor made with ``requiringGradient()``)
/// carries a node of the autodiff graph; ``backward(_:retainingGraph:)`` walks that graph in reverse.
///
/// ```swift
/// let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let y = try (x * 2).sum()
/// ```
public struct Tensor {
    /// Extent of each axis, outermost first.
    public let shape: [Int]
    /// Number of elements (the product of ``shape``; 1 for a scalar of shape `[]`).
    public let count: Int
    @usableFromInline var storage: TensorStorage
    @usableFromInline let offset: Int
    /// The autodiff graph node that produced this tensor, if gradients flow through it.
    var gradientNode: GradientNode?

    init(shape: [Int], storage: TensorStorage, offset: Int = 0, node: GradientNode? = nil) {
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.storage = storage
        self.offset = offset
        self.gradientNode = node
    }

    /// Creates a tensor of `shape` with uninitialised contents, filled by `body`.
    ///
    /// `body` must write every element.
    @inline(__always)
    static func filling(
        _ shape: [Int], _ body: (UnsafeMutablePointer<Float>) throws -> Void
    ) rethrows -> Tensor {
        let count = shape.reduce(1, *)
        let storage = TensorStorage(uninitializedCapacity: count)
        try body(storage.pointer)
        return Tensor(shape: shape, storage: storage)
    }

    /// Creates a tensor from `scalars` in row-major order.
    ///
    /// - Throws: ``TensorError`` when `scalars.count` is not the product of `shape` or an extent
    ///   is negative.
    public init(shape: [Int], scalars: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError("Tensor", "negative extent in shape \(shape)")
        }
        let count = shape.reduce(1, *)
        guard count == scalars.count else {
            throw TensorError("Tensor", "shape \(shape) holds \(count) elements, got \(scalars.count)")
        }
        let storage = TensorStorage(uninitializedCapacity: count)
        scalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { storage.pointer.update(from: base, count: count) }
        }
        self.init(shape: shape, storage: storage)
    }

    /// Creates a one-dimensional tensor holding `scalars`.
    public init(_ scalars: [Float]) {
        let storage = TensorStorage(uninitializedCapacity: scalars.count)
        scalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress {
                storage.pointer.update(from: base, count: scalars.count)
            }
        }
        self.init(shape: [scalars.count], storage: storage)
    }

    /// Creates a scalar (rank-0) tensor.
    public init(scalar: Float) {
        let storage = TensorStorage(uninitializedCapacity: 1)
        storage.pointer.pointee = scalar
        self.init(shape: [], storage: storage)
    }

    /// Number of axes.
    public var rank: Int { shape.count }

    /// The elements in row-major order (a copy).
    public var scalars: [Float] {
        Array(UnsafeBufferPointer(start: storage.pointer + offset, count: count))
    }

    /// The single element of a one-element tensor.
    ///
    /// - Throws: ``TensorError`` when the tensor holds more or fewer than one element.
    public func item() throws -> Float {
        guard count == 1 else { throw TensorError("item", "tensor of shape \(shape) is not one element") }
        return storage.pointer[offset]
    }

    /// Calls `body` with the elements in row-major order.
    @inlinable
    public func withUnsafeBufferPointer<R>(
        _ body: (UnsafeBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer + offset, count: count))
    }

    /// Calls `body` with writable elements, copying the storage first if another tensor shares it.
    ///
    /// Writing in place detaches the tensor from the autodiff graph.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        let count = self.count
        return try withMutableBase { try body(UnsafeMutableBufferPointer(start: $0, count: count)) }
    }

    /// Calls `body` with a writable pointer to the first element, copying the storage first if
    /// another tensor shares it; detaches the tensor from the autodiff graph.
    mutating func withMutableBase<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) || offset != 0 || storage.capacity != count {
            let copy = TensorStorage(uninitializedCapacity: count)
            copy.pointer.update(from: self.storage.pointer + offset, count: count)
            self = Tensor(shape: shape, storage: copy)
        } else {
            gradientNode = nil
        }
        return try body(self.storage.pointer)
    }

    /// Read-only pointer to the first element; valid while this tensor is alive.
    @usableFromInline var base: UnsafeMutablePointer<Float> { storage.pointer + offset }

    /// A copy of this tensor with its own storage and no autodiff history.
    public func copy() -> Tensor {
        Tensor.filling(shape) { $0.update(from: base, count: count) }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 8 ? ", …" : "")])"
    }
}

extension Tensor {
    /// True when both tensors have the same shape and every pair of elements differs by at most
    /// `absoluteTolerance + relativeTolerance * |other|`.
    public func isClose(
        to other: Tensor, absoluteTolerance: Float = 1e-5, relativeTolerance: Float = 1e-4
    ) -> Bool {
        guard shape == other.shape else { return false }
        return zip(scalars, other.scalars).allSatisfy {
                Swift.abs($0 - $1) <= absoluteTolerance + relativeTolerance * Swift.abs($1)
            }
    }

    /// Largest absolute elementwise difference to `other` (infinity if the shapes differ).
    public func maximumDifference(to other: Tensor) -> Float {
        guard shape == other.shape else { return .infinity }
        var worst: Float = 0
        withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                for i in 0..<a.count {
                    let difference = Swift.abs(a[i] - b[i])
                    if !(difference <= worst) { worst = difference.isNaN ? .infinity : difference }
                }
            }
        }
        return worst
    }
}
