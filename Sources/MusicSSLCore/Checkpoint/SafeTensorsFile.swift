import Foundation

/// A safetensors file opened for reading: the header is parsed and validated at once, tensor
/// data stays on disk (memory-mapped) until a tensor is asked for.
///
/// The format (huggingface/safetensors) is an 8-byte little-endian header length `N`, `N` bytes
/// of UTF-8 JSON describing each tensor's dtype, shape and byte range, then the data buffer.
///
/// ```swift
/// let file = try SafeTensorsFile(contentsOf: url)
/// let weight = try file.tensor(named: "encoder.layers.0.fc1.weight")
/// ```
///
/// Opening never trusts the header: every malformed file raises a ``SafeTensorsError`` naming
/// the file and the fault, and nothing is allocated from an unchecked size.
public struct SafeTensorsFile: Sendable {
    /// Where one tensor's data is and how to read it.
    public struct TensorInfo: Equatable, Sendable {
        /// The element type as stored.
        public let dtype: SafeTensorsDType
        /// Extent of each axis, outermost first.
        public let shape: [Int]
        /// Byte range of the data, relative to the start of the data buffer.
        public let dataOffsets: Range<Int>
    }

    /// Largest header accepted, as in the reference implementation (100 MB); a larger length
    /// field is treated as corrupt rather than read.
    public static let maximumHeaderByteCount = 100_000_000

    /// The file's location.
    public let url: URL
    /// The names of the tensors in the file, sorted.
    public let tensorNames: [String]
    /// The free-form `__metadata__` strings (empty when the file has none).
    public let metadata: [String: String]

    private let entries: [String: TensorInfo]
    private let file: MappedFile
    /// File offset of the data buffer (8 + header length).
    private let dataStart: Int

    /// Opens and validates the safetensors file at `url`.
    ///
    /// - Throws: ``SafeTensorsError`` when the file cannot be read or is malformed.
    public init(contentsOf url: URL) throws {
        let path = url.path
        do {
            file = try MappedFile(path: path)
        } catch let error as SystemCallError {
            throw SafeTensorsError(path: path, .fileSystem(error.description))
        }
        guard file.byteCount >= 8 else {
            throw SafeTensorsError(path: path, .fileTooShort(byteCount: file.byteCount))
        }
        let declared = file.withBytes(in: 0..<8) {
            UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))
        }
        let available = file.byteCount - 8
        guard declared <= UInt64(Swift.min(available, Self.maximumHeaderByteCount)) else {
            throw SafeTensorsError(
                path: path,
                .headerLengthOutOfRange(declared: declared, fileByteCount: file.byteCount))
        }
        let headerByteCount = Int(declared)
        let header = try file.withBytes(in: 8..<(8 + headerByteCount)) {
            try SafeTensorsHeader(
                parsing: $0, bufferByteCount: available - headerByteCount, path: path)
        }
        self.url = url
        self.entries = header.entries
        self.metadata = header.metadata
        self.tensorNames = header.entries.keys.sorted()
        self.dataStart = 8 + headerByteCount
    }

    /// The dtype, shape and byte range of the tensor called `name`, or nil if there is none.
    public func info(for name: String) -> TensorInfo? {
        entries[name]
    }

    /// Reads the tensor called `name`, converting F16, BF16 and F64 data to Float32.
    ///
    /// F16 and BF16 convert exactly; F64 rounds to the nearest Float32.
    ///
    /// - Throws: ``SafeTensorsError`` when there is no such tensor or its dtype is not one of
    ///   F32, F16, BF16, F64.
    public func tensor(named name: String) throws -> Tensor {
        guard let info = entries[name] else {
            throw SafeTensorsError(path: url.path, tensorName: name, .missingTensor)
        }
        let start = dataStart + info.dataOffsets.lowerBound
        return try file.withBytes(in: start..<(start + info.dataOffsets.count)) { bytes in
            switch info.dtype {
            case .f32:
                return Self.decode(bytes, info.shape, UInt32.self) { Float(bitPattern: $0) }
            case .f16:
                return Self.decode(bytes, info.shape, UInt16.self, float32(fromHalfBits:))
            case .bf16:
                return Self.decode(bytes, info.shape, UInt16.self, float32(fromBFloat16Bits:))
            case .f64:
                return Self.decode(bytes, info.shape, UInt64.self) {
                    Float(Double(bitPattern: $0))
                }
            default:
                throw SafeTensorsError(
                    path: url.path, tensorName: name, .unsupportedDType(info.dtype))
            }
        }
    }

    /// Reads every tensor in the file, keyed by name.
    ///
    /// - Throws: ``SafeTensorsError`` for the first tensor (in name order) that cannot be read.
    public func allTensors() throws -> [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        for name in tensorNames { tensors[name] = try tensor(named: name) }
        return tensors
    }

    /// A tensor of `shape` from little-endian elements of type `Bits`, each passed to `convert`.
    ///
    /// `bytes` holds exactly one `Bits` per element (the header check guarantees it).
    @inline(__always)
    private static func decode<Bits: FixedWidthInteger>(
        _ bytes: UnsafeRawBufferPointer, _ shape: [Int], _: Bits.Type,
        _ convert: (Bits) -> Float
    ) -> Tensor {
        let size = MemoryLayout<Bits>.size
        return Tensor.filling(shape) { output in
            for i in 0..<(bytes.count / size) {
                let bits = bytes.loadUnaligned(fromByteOffset: i * size, as: Bits.self)
                output[i] = convert(Bits(littleEndian: bits))
            }
        }
    }
}
