import Foundation

/// Writes Float32 tensors to a safetensors file that the reference implementation
/// (huggingface/safetensors, e.g. `safetensors.numpy.load_file`) reads.
///
/// The layout matches the reference serializer byte for byte: tensors sorted by name, stored
/// back to back in that order (contiguous, as the reference reader requires), a compact JSON
/// header with `__metadata__` first, padded with spaces to a multiple of 8 bytes so every tensor
/// starts 4-byte aligned in the file. The file is written atomically (temporary file + rename).
///
/// ```swift
/// try SafeTensorsWriter.write([("proj.weight", weight), ("proj.bias", bias)],
///                             metadata: ["step": "1000"], to: url)
/// ```
public enum SafeTensorsWriter {
    /// How the scalars are stored.
    public enum Precision: Sendable, Equatable {
        /// `F32`, exact.
        case float32
        /// `F16`, IEEE half precision rounded to nearest even (values past ±65504 become ±∞;
        /// relative error at most 2⁻¹¹): half the size, for large caches of activations.
        case float16

        var dtype: String { self == .float32 ? "F32" : "F16" }
        var byteCount: Int { self == .float32 ? 4 : 2 }
    }

    /// Writes `tensors` with `metadata` to `url`, replacing any file there.
    ///
    /// - Parameters:
    ///   - tensors: Names and values; names must be non-empty, unique and not `__metadata__`.
    ///   - metadata: Free-form strings stored under `__metadata__` (omitted when empty).
    ///   - url: The destination; its directory must exist.
    ///   - precision: `F32` (default) or `F16` for every tensor.
    /// - Throws: ``SafeTensorsError`` for an invalid name or a file system failure; `url` is then
    ///   left as it was.
    public static func write(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:],
        to url: URL, precision: Precision = .float32
    ) throws {
        let path = url.path
        var names = Set<String>()
        for (name, _) in tensors {
            guard !name.isEmpty else {
                throw SafeTensorsError(path: path, .invalidName("a tensor name is empty"))
            }
            guard name != SafeTensorsHeader.metadataKey else {
                throw SafeTensorsError(
                    path: path, tensorName: name, .invalidName("the name is reserved for metadata"))
            }
            guard names.insert(name).inserted else {
                throw SafeTensorsError(
                    path: path, tensorName: name, .invalidName("the name is given twice"))
            }
        }
        // Byte order of the UTF-8 names, as the reference sorts same-dtype tensors (Rust `str`).
        let ordered = tensors.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        let header = headerBytes(ordered, metadata: metadata, precision: precision)
        do {
            try AtomicFile.write(to: url) { sink in
                try withUnsafeBytes(of: UInt64(header.count).littleEndian) { try sink.append($0) }
                try header.withUnsafeBytes { try sink.append($0) }
                for (_, tensor) in ordered {
                    switch precision {
                    case .float32: try appendScalars(of: tensor, to: sink)
                    case .float16: try appendHalfScalars(of: tensor, to: sink)
                    }
                }
            }
        } catch let error as SystemCallError {
            throw SafeTensorsError(path: path, .fileSystem(error.description))
        }
    }

    /// Writes `tensors` (stored in name order) as F32 with `metadata` to `url`.
    ///
    /// - Throws: ``SafeTensorsError`` for an invalid name or a file system failure.
    public static func write(
        _ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL
    ) throws {
        try write(tensors.map { (name: $0.key, tensor: $0.value) }, metadata: metadata, to: url)
    }

    /// The JSON header, padded with spaces to a multiple of 8 bytes.
    ///
    /// Compact and ordered as serde_json writes the reference's header: `__metadata__` (keys
    /// sorted here, so the bytes are deterministic), then each tensor's dtype, shape and offsets.
    private static func headerBytes(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String],
        precision: Precision
    ) -> [UInt8] {
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { quoted($0.key) + ":" + quoted($0.value) }
            members.append(
                quoted(SafeTensorsHeader.metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, tensor) in tensors {
            let end = offset + tensor.count * precision.byteCount
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            members.append(
                quoted(name) + ":{\"dtype\":\"\(precision.dtype)\",\"shape\":[\(shape)],"
                    + "\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var bytes = Array(("{" + members.joined(separator: ",") + "}").utf8)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8))
        return bytes
    }

    /// `string` as a JSON string literal, escaped as serde_json does: quote, backslash and
    /// control characters only (the named escapes where JSON has one, else `\u00xx`).
    private static func quoted(_ string: String) -> String {
        var literal = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": literal += "\\\""
            case "\\": literal += "\\\\"
            case "\n": literal += "\\n"
            case "\r": literal += "\\r"
            case "\t": literal += "\\t"
            case "\u{08}": literal += "\\b"
            case "\u{0C}": literal += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                literal += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: literal.unicodeScalars.append(scalar)
            }
        }
        return literal + "\""
    }

    /// Appends the tensor's elements as little-endian F32, through a bounded staging buffer.
    private static func appendScalars(of tensor: Tensor, to sink: AtomicFile.Sink) throws {
        try tensor.withUnsafeBufferPointer { scalars in
            var staging = [UInt32](repeating: 0, count: Swift.min(scalars.count, 1 << 16))
            var start = 0
            while start < scalars.count {
                let chunk = Swift.min(staging.count, scalars.count - start)
                for i in 0..<chunk { staging[i] = scalars[start + i].bitPattern.littleEndian }
                try staging.withUnsafeBytes {
                    try sink.append(UnsafeRawBufferPointer(rebasing: $0.prefix(chunk * 4)))
                }
                start += chunk
            }
        }
    }

    /// The tensor's scalars as little-endian IEEE half-precision bits.
    private static func appendHalfScalars(of tensor: Tensor, to sink: AtomicFile.Sink) throws {
        try tensor.withUnsafeBufferPointer { scalars in
            var staging = [UInt16](repeating: 0, count: Swift.min(scalars.count, 1 << 16))
            var start = 0
            while start < scalars.count {
                let chunk = Swift.min(staging.count, scalars.count - start)
                for i in 0..<chunk {
                    staging[i] = Float16(scalars[start + i]).bitPattern.littleEndian
                }
                try staging.withUnsafeBytes {
                    try sink.append(UnsafeRawBufferPointer(rebasing: $0.prefix(chunk * 2)))
                }
                start += chunk
            }
        }
    }
}
