/// The element type of a PyTorch storage, as named by its storage class (`torch.FloatStorage`)
/// or dtype (`torch.float32`).
public enum TorchDType: String, Equatable, Sendable, CaseIterable {
    case float32, float16, bfloat16, float64, int64, int32, int16, int8, uint8, bool

    /// Bytes per element.
    public var elementByteCount: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16, .int16: 2
        case .int8, .uint8, .bool: 1
        }
    }

    /// True for the types read as integers (``TorchCheckpoint/integers(_:)``).
    public var isInteger: Bool {
        switch self {
        case .float32, .float16, .bfloat16, .float64: false
        default: true
        }
    }

    /// The legacy typed-storage class torch pickles for this dtype, e.g. `FloatStorage`.
    var storageClassName: String {
        switch self {
        case .float32: "FloatStorage"
        case .float16: "HalfStorage"
        case .bfloat16: "BFloat16Storage"
        case .float64: "DoubleStorage"
        case .int64: "LongStorage"
        case .int32: "IntStorage"
        case .int16: "ShortStorage"
        case .int8: "CharStorage"
        case .uint8: "ByteStorage"
        case .bool: "BoolStorage"
        }
    }
}

/// One storage of a checkpoint: the archive entry `data/<key>` holding `elementCount`
/// little-endian elements of `dtype`.
public struct TorchStorageReference: Equatable, Sendable {
    /// The storage's key, the name of its file under `data/` in the archive.
    public let key: String
    /// The element type.
    public let dtype: TorchDType
    /// Number of elements the pickle declares.
    public let elementCount: Int
    /// The device it was saved from (`cpu`, `cuda:0`); data is read on the CPU regardless.
    public let location: String
}

/// A tensor in a checkpoint: a strided view of a storage, as `torch._utils._rebuild_tensor_v2`
/// builds it. The unpickler has checked that every element it addresses lies in the storage.
public struct TorchTensorReference: Equatable, Sendable {
    /// The storage holding the data; several tensors may share one.
    public let storage: TorchStorageReference
    /// Index (in elements) of the first element within the storage.
    public let storageOffset: Int
    /// Extent of each axis, outermost first.
    public let shape: [Int]
    /// Step (in elements) between neighbours along each axis.
    public let strides: [Int]

    /// Number of elements.
    public var elementCount: Int { shape.reduce(1, *) }

    /// Checks the view against its storage and builds it.
    ///
    /// - Throws: ``TorchCheckpointError/Fault`` `.invalidTensor` when an extent or stride is
    ///   negative, the ranks differ, a count overflows, or an element lies outside the storage.
    init(
        storage: TorchStorageReference, storageOffset: Int, shape: [Int], strides: [Int]
    ) throws(TorchCheckpointError.Fault) {
        guard shape.count == strides.count else {
            throw .invalidTensor("size \(shape) and stride \(strides) differ in rank")
        }
        guard storageOffset >= 0, shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 })
        else {
            throw .invalidTensor(
                "negative offset, size or stride: offset \(storageOffset), size \(shape), "
                    + "stride \(strides)")
        }
        var count = 1
        var lastIndex = storageOffset
        for (extent, stride) in zip(shape, strides) {
            let (product, countOverflow) = count.multipliedReportingOverflow(by: extent)
            let (step, stepOverflow) = Swift.max(extent - 1, 0).multipliedReportingOverflow(
                by: stride)
            let (sum, sumOverflow) = lastIndex.addingReportingOverflow(step)
            guard !countOverflow, !stepOverflow, !sumOverflow else {
                throw .invalidTensor("size \(shape) with stride \(strides) overflows")
            }
            (count, lastIndex) = (product, sum)
        }
        guard count == 0 || lastIndex < storage.elementCount else {
            throw .invalidTensor(
                "size \(shape), stride \(strides), offset \(storageOffset) reach element "
                    + "\(lastIndex) of storage '\(storage.key)' with \(storage.elementCount)")
        }
        self.storage = storage
        self.storageOffset = storageOffset
        self.shape = shape
        self.strides = strides
    }

    /// True when the elements lie in row-major order without gaps (extent-1 axes' strides
    /// do not matter, as torch may store any value there).
    public var isContiguous: Bool {
        var expected = 1
        for (extent, stride) in zip(shape, strides).reversed() where extent != 1 {
            if stride != expected { return false }
            expected *= extent
        }
        return true
    }

    /// Calls `visit` with the storage index of every element, in row-major order.
    func forEachStorageIndex(_ visit: (Int) -> Void) {
        let count = elementCount
        guard count > 0 else { return }
        if isContiguous {
            for i in 0..<count { visit(storageOffset + i) }
            return
        }
        // Odometer over the multi-index; `index` tracks the storage position incrementally.
        var position = [Int](repeating: 0, count: shape.count)
        var index = storageOffset
        for _ in 0..<count {
            visit(index)
            var axis = shape.count - 1
            while axis >= 0 {
                position[axis] += 1
                index += strides[axis]
                if position[axis] < shape[axis] { break }
                index -= strides[axis] * shape[axis]
                position[axis] = 0
                axis -= 1
            }
        }
    }
}
