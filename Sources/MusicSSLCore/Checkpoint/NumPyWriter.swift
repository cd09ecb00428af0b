import Foundation

/// Writes `.npy` files that `numpy.load` reads: Float32 tensors as `<f4`, integer arrays as
/// `<i8`, always C order.
///
/// The bytes match `numpy.save` (numpy 2): a version 1.0 header (2.0 only if the header would
/// not fit in 1.0's 2-byte length) with the keys sorted, the spare spaces numpy leaves after
/// the dict, then spaces and a newline padding the preamble to a multiple of 64 bytes. Files are
/// written atomically (temporary file + rename), so a reader never sees a partial array.
///
/// ```swift
/// try NumPyWriter.write(mfcc, to: url)                       // [frames, 39] → <f4 (frames, 39)
/// try NumPyWriter.write(int64: labels, shape: [labels.count], to: labelsURL)
/// ```
public enum NumPyWriter {
    /// Alignment of the data start, numpy's `ARRAY_ALIGN`.
    static let alignment = 64

    /// Writes `tensor` as a little-endian Float32 (`<f4`) array of the same shape to `url`,
    /// replacing any file there.
    ///
    /// - Throws: ``NumPyError`` for a file system failure; `url` is then left as it was.
    public static func write(_ tensor: Tensor, to url: URL) throws {
        try write(dtype: .float32, shape: tensor.shape, to: url) { sink in
            try tensor.withUnsafeBufferPointer { scalars in
                try appendLittleEndian(scalars, to: sink) { $0.bitPattern.littleEndian }
            }
        }
    }

    /// Writes `values` as a little-endian Int64 (`<i8`) array of `shape` to `url`, replacing any
    /// file there.
    ///
    /// - Parameters:
    ///   - values: The elements in row-major order.
    ///   - shape: Extent of each axis; its product must equal `values.count` (`[]` for a scalar).
    /// - Throws: ``NumPyError`` when the shape does not hold exactly `values.count` values, or
    ///   for a file system failure; `url` is then left as it was.
    public static func write(int64 values: [Int], shape: [Int], to url: URL) throws {
        var product = 1
        for extent in shape {
            let (next, overflow) = product.multipliedReportingOverflow(by: extent)
            guard extent >= 0, !overflow else {
                product = -1
                break
            }
            product = next
        }
        guard product == values.count else {
            throw NumPyError(path: url.path, .shapeMismatch(shape: shape, valueCount: values.count))
        }
        try write(dtype: .int64, shape: shape, to: url) { sink in
            try values.withUnsafeBufferPointer { elements in
                try appendLittleEndian(elements, to: sink) { Int64($0).littleEndian }
            }
        }
    }

    /// The complete preamble for an array: magic, version, header length and padded header.
    static func preamble(dtype: NumPyDType, shape: [Int]) -> [UInt8] {
        // The literal is ASCII, so its UTF-8 bytes are its Latin-1 bytes.
        let header = Array(NumPyHeader.literal(dtype: dtype, shape: shape).utf8)
        // As numpy's `_wrap_header`: padding always adds 1 to 64 spaces, then the newline.
        func padded(lengthFieldByteCount: Int) -> Int {
            let unpadded = 8 + lengthFieldByteCount + header.count + 1
            return header.count + 1 + alignment - unpadded % alignment
        }
        let isVersion1 = padded(lengthFieldByteCount: 2) <= Int(UInt16.max)
        let lengthFieldByteCount = isVersion1 ? 2 : 4
        let headerByteCount = padded(lengthFieldByteCount: lengthFieldByteCount)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [isVersion1 ? 1 : 2, 0]
        for byte in 0..<lengthFieldByteCount {
            bytes.append(UInt8(truncatingIfNeeded: headerByteCount >> (8 * byte)))
        }
        bytes += header
        bytes += repeatElement(UInt8(ascii: " "), count: headerByteCount - header.count - 1)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private static func write(
        dtype: NumPyDType, shape: [Int], to url: URL, data: (AtomicFile.Sink) throws -> Void
    ) throws {
        do {
            try AtomicFile.write(to: url) { sink in
                try preamble(dtype: dtype, shape: shape).withUnsafeBytes { try sink.append($0) }
                try data(sink)
            }
        } catch let error as SystemCallError {
            throw NumPyError(path: url.path, .fileSystem(error.description))
        }
    }

    /// Appends `elements` through a bounded staging buffer, each converted by `littleEndian`.
    private static func appendLittleEndian<Element, Bits: FixedWidthInteger>(
        _ elements: UnsafeBufferPointer<Element>, to sink: AtomicFile.Sink,
        _ littleEndian: (Element) -> Bits
    ) throws {
        var staging = [Bits](repeating: 0, count: Swift.min(elements.count, 1 << 16))
        var start = 0
        while start < elements.count {
            let chunk = Swift.min(staging.count, elements.count - start)
            for i in 0..<chunk { staging[i] = littleEndian(elements[start + i]) }
            try staging.withUnsafeBytes {
                try sink.append(
                    UnsafeRawBufferPointer(rebasing: $0.prefix(chunk * MemoryLayout<Bits>.size)))
            }
            start += chunk
        }
    }
}
