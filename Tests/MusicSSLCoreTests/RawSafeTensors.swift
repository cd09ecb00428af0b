import Foundation

/// Safetensors bytes assembled by hand, for tests that need files our writer would never make.
///
/// - Parameters:
///   - header: The JSON header text, written as is.
///   - data: The data buffer that follows the header.
///   - declaredHeaderLength: The value of the 8-byte length field; the header's true length
///     when nil.
func rawSafeTensors(
    header: String, data: [UInt8] = [], declaredHeaderLength: UInt64? = nil
) -> Data {
    rawSafeTensors(
        headerBytes: Array(header.utf8), data: data,
        declaredHeaderLength: declaredHeaderLength)
}

/// Safetensors bytes from a header given as raw bytes (which need not be UTF-8).
func rawSafeTensors(
    headerBytes: [UInt8], data: [UInt8] = [], declaredHeaderLength: UInt64? = nil
) -> Data {
    var file = Data()
    let length = declaredHeaderLength ?? UInt64(headerBytes.count)
    withUnsafeBytes(of: length.littleEndian) { file.append(contentsOf: $0) }
    file.append(contentsOf: headerBytes)
    file.append(contentsOf: data)
    return file
}

/// The little-endian bytes of `values`, as a data buffer holds them.
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}
