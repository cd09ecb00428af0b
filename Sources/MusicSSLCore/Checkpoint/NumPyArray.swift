import Foundation

/// An array stored in numpy's `.npy` format, opened for reading: the header is parsed and
/// validated at once, the data stays on disk (memory-mapped) until it is converted.
///
/// The format (`numpy.lib.format`, versions 1.0, 2.0 and 3.0) is the magic string `\x93NUMPY`,
/// a major and minor version byte, a little-endian header length (2 bytes in 1.0, 4 in 2.0 and
/// 3.0), a Python dict literal giving `descr`, `fortran_order` and `shape`, then the raw
/// elements.
///
/// ```swift
/// let features = try NumPyArray(contentsOf: url).tensor()        // [frames, dimensions]
/// let labels = try NumPyArray(contentsOf: labelsURL).int64Values()
/// ```
///
/// Floats (`f2`, `f4`, `f8`), signed and unsigned integers of 1 to 8 bytes and booleans are
/// read, in either byte order. Fortran-order (column-major) arrays are transposed on reading,
/// so values always come out in C (row-major) order for the stated shape, as `np.load` presents
/// them. The header is parsed by a strict parser for the literal subset numpy writes, never
/// evaluated; every malformed file raises a ``NumPyError`` naming the file and the fault, and
/// nothing is allocated from a size the file has not been checked to hold.
public struct NumPyArray: Sendable {
    /// Largest header accepted, numpy's own default `max_header_size` (10,000); a longer
    /// header is treated as corrupt rather than parsed.
    public static let maximumHeaderByteCount = 10_000

    /// The file's location.
    public let url: URL
    /// Extent of each axis, outermost first; empty for a scalar.
    public let shape: [Int]
    /// The element type as stored.
    public let dtype: NumPyDType
    /// Whether the file stores the data column-major; values are still returned row-major.
    public let isFortranOrder: Bool

    private let file: MappedFile
    /// File offset of the first data byte.
    private let dataStart: Int
    /// Number of data bytes (element count × element size).
    private let dataByteCount: Int

    /// The number of elements, the product of ``shape`` (1 for a scalar).
    public var elementCount: Int { dataByteCount / dtype.byteCount }

    /// Opens and validates the `.npy` file at `url`.
    ///
    /// - Throws: ``NumPyError`` when the file cannot be read, is malformed, has an unsupported
    ///   dtype, or holds more or fewer data bytes than its header describes.
    public init(contentsOf url: URL) throws {
        let path = url.path
        do {
            file = try MappedFile(path: path)
        } catch let error as SystemCallError {
            throw NumPyError(path: path, .fileSystem(error.description))
        }
        let fileByteCount = file.byteCount
        guard fileByteCount >= 10 else {
            throw NumPyError(path: path, .fileTooShort(byteCount: fileByteCount))
        }
        let preamble = file.withBytes(in: 0..<8) { Array($0) }
        guard preamble.prefix(6).elementsEqual([0x93] + Array("NUMPY".utf8)) else {
            throw NumPyError(path: path, .badMagic)
        }
        let (major, minor) = (preamble[6], preamble[7])
        let lengthFieldByteCount: Int
        switch (major, minor) {
        case (1, 0): lengthFieldByteCount = 2
        case (2, 0), (3, 0): lengthFieldByteCount = 4
        default: throw NumPyError(path: path, .unsupportedVersion(major: major, minor: minor))
        }
        let headerStart = 8 + lengthFieldByteCount
        guard fileByteCount >= headerStart else {
            throw NumPyError(path: path, .fileTooShort(byteCount: fileByteCount))
        }
        let declared = file.withBytes(in: 8..<headerStart) { bytes in
            bytes.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        let available = fileByteCount - headerStart
        guard declared <= UInt32(Swift.min(available, Self.maximumHeaderByteCount)) else {
            throw NumPyError(
                path: path,
                .headerLengthOutOfRange(declared: declared, fileByteCount: fileByteCount))
        }
        let headerByteCount = Int(declared)
        let text = try file.withBytes(in: headerStart..<(headerStart + headerByteCount)) {
            try Self.headerText($0, isUTF8: major == 3, path: path)
        }
        let header = try NumPyHeader(parsing: text, path: path)
        let dataByteCount = available - headerByteCount
        guard dataByteCount == header.byteCount else {
            throw NumPyError(
                path: path,
                .byteCountMismatch(
                    dtype: header.dtype, shape: header.shape, expected: header.byteCount,
                    actual: dataByteCount))
        }
        self.url = url
        self.shape = header.shape
        self.dtype = header.dtype
        self.isFortranOrder = header.isFortranOrder
        self.dataStart = headerStart + headerByteCount
        self.dataByteCount = dataByteCount
    }

    /// The values as a Float32 tensor of ``shape``, in row-major order.
    ///
    /// Float16 converts exactly, Float64 rounds to the nearest Float32, integers round to the
    /// nearest Float32 (exact up to 2²⁴ in magnitude), booleans become 0 and 1.
    public func tensor() -> Tensor {
        if dtype == .float32, !isFortranOrder {
            // The common case: the data is already the tensor's bytes on every supported
            // (little-endian) platform.
            return Tensor.filling(shape) { output in
                file.withBytes(in: dataStart..<(dataStart + dataByteCount)) { bytes in
                    UnsafeMutableRawPointer(output).copyMemory(
                        from: bytes.baseAddress ?? UnsafeRawPointer(output), byteCount: bytes.count)
                }
            }
        }
        return Tensor.filling(shape) { output in
            convert(
                into: output, float: { Float($0) }, signed: { Float($0) }, unsigned: { Float($0) })
        }
    }

    /// The values as integers in row-major order, for label and index arrays.
    ///
    /// - Throws: ``NumPyError`` when the dtype is a float type, or an unsigned 64-bit value is
    ///   larger than `Int.max`.
    public func int64Values() throws -> [Int] {
        guard dtype.kind != .float else { throw NumPyError(path: url.path, .notIntegers(dtype)) }
        let count = elementCount
        let path = url.path
        return try [Int](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            guard let output = buffer.baseAddress else { return }
            var index = 0
            try convert(
                into: output,
                float: { _ in throw NumPyError(path: path, .notIntegers(dtype)) },
                signed: { value in
                    index += 1
                    return Int(value)
                },
                unsigned: { value in
                    guard value <= UInt64(Int.max) else {
                        throw NumPyError(path: path, .integerOutOfRange(index: index))
                    }
                    index += 1
                    return Int(value)
                })
            initializedCount = count
        }
    }

    /// Writes every element, converted, into `output` in row-major order.
    ///
    /// `float`, `signed` or `unsigned` is called per element according to the dtype's kind
    /// (booleans go to `unsigned` as 0 or 1).
    private func convert<Element>(
        into output: UnsafeMutablePointer<Element>,
        float: (Double) throws -> Element,
        signed: (Int64) throws -> Element,
        unsigned: (UInt64) throws -> Element
    ) rethrows {
        let order = isFortranOrder ? Self.fortranSourceIndices(shape) : nil
        let isBigEndian = dtype.isBigEndian
        try file.withBytes(in: dataStart..<(dataStart + dataByteCount)) { bytes in
            func decode<Bits: FixedWidthInteger>(
                _: Bits.Type, _ convert: (Bits) throws -> Element
            ) rethrows {
                let size = MemoryLayout<Bits>.size
                for i in 0..<(bytes.count / size) {
                    let source = order?[i] ?? i
                    let raw = bytes.loadUnaligned(fromByteOffset: source * size, as: Bits.self)
                    output[i] = try convert(
                        isBigEndian ? Bits(bigEndian: raw) : Bits(littleEndian: raw))
                }
            }
            switch (dtype.kind, dtype.byteCount) {
            case (.float, 2):
                try decode(UInt16.self) { try float(Double(float32(fromHalfBits: $0))) }
            case (.float, 4): try decode(UInt32.self) { try float(Double(Float(bitPattern: $0))) }
            case (.float, _): try decode(UInt64.self) { try float(Double(bitPattern: $0)) }
            case (.signedInteger, 1): try decode(Int8.self) { try signed(Int64($0)) }
            case (.signedInteger, 2): try decode(Int16.self) { try signed(Int64($0)) }
            case (.signedInteger, 4): try decode(Int32.self) { try signed(Int64($0)) }
            case (.signedInteger, _): try decode(Int64.self) { try signed($0) }
            case (.unsignedInteger, 1): try decode(UInt8.self) { try unsigned(UInt64($0)) }
            case (.unsignedInteger, 2): try decode(UInt16.self) { try unsigned(UInt64($0)) }
            case (.unsignedInteger, 4): try decode(UInt32.self) { try unsigned(UInt64($0)) }
            case (.unsignedInteger, _): try decode(UInt64.self) { try unsigned($0) }
            case (.boolean, _): try decode(UInt8.self) { try unsigned($0 == 0 ? 0 : 1) }
            }
        }
    }

    /// For each element in row-major order, its index in column-major storage of `shape`.
    private static func fortranSourceIndices(_ shape: [Int]) -> [Int] {
        let count = shape.reduce(1, *)
        guard count > 0 else { return [] }
        // Column-major strides: the first axis is contiguous.
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in shape.indices.dropFirst() {
            strides[axis] = strides[axis - 1] * shape[axis - 1]
        }
        var indices = [Int](repeating: 0, count: count)
        var position = [Int](repeating: 0, count: shape.count)
        var source = 0
        for i in 0..<count {
            indices[i] = source
            // Advance the row-major odometer: last axis fastest, carrying leftwards.
            var axis = shape.count - 1
            while axis >= 0 {
                position[axis] += 1
                source += strides[axis]
                if position[axis] < shape[axis] { break }
                source -= strides[axis] * shape[axis]
                position[axis] = 0
                axis -= 1
            }
        }
        return indices
    }

    /// The header bytes as text: Latin-1 in versions 1.0 and 2.0, UTF-8 in 3.0.
    private static func headerText(
        _ bytes: UnsafeRawBufferPointer, isUTF8: Bool, path: String
    ) throws -> String {
        guard isUTF8 else {
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
            return String(scalars)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        // Decoding repairs invalid sequences; a repaired string no longer matches the bytes.
        guard text.utf8.elementsEqual(bytes) else { throw NumPyError(path: path, .headerNotUTF8) }
        return text
    }
}
