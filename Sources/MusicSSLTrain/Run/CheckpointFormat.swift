import Foundation
import MusicSSLCore

/// The layout of a training checkpoint file and its checks: a safetensors file whose
/// `__metadata__` records the format, the step, the trainer state JSON, the length of the tensor
/// data and an XXH64 of the whole content, so that a truncated or damaged file is told apart
/// from a complete one.
///
/// The checksum covers a manifest (step, trainer state, each tensor's name, dtype and shape)
/// followed by the data buffer, so a damaged header that still parses (a changed digit in the
/// trainer state, a renamed tensor) is caught as surely as damaged data.
enum CheckpointFormat {
    /// The version this library writes and the newest it reads.
    static let versionNumber = 1
    /// ``versionNumber`` as the metadata stores it.
    static let version = String(versionNumber)
    /// The value of ``formatKey``.
    static let formatName = "musicssl-training-checkpoint"

    /// Metadata key naming the format.
    static let formatKey = "format"
    /// Metadata key of the format version.
    static let versionKey = "format_version"
    /// Metadata key of the optimizer step the checkpoint was taken after.
    static let stepKey = "step"
    /// Metadata key of the trainer state JSON.
    static let trainerStateKey = "trainer_state"
    /// Metadata key of the data buffer's length in bytes.
    static let byteCountKey = "data_byte_count"
    /// Metadata key of the content's XXH64 (manifest, then data), 16 lowercase hex digits.
    static let checksumKey = "content_xxh64"

    /// The metadata for `tensors` at `step` with `trainerState`: the data length and the
    /// checksum are computed over the tensors' bytes in the order ``SafeTensorsWriter`` stores
    /// them (names in UTF-8 byte order, little-endian F32, back to back).
    static func metadata(
        step: Int, trainerState: String, tensors: [(name: String, tensor: Tensor)]
    ) -> [String: String] {
        let ordered = tensors.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var hasher = XXHash64()
        hasher.update(
            manifest(
                version: version, step: step, trainerState: trainerState,
                tensors: ordered.map { ($0.name, SafeTensorsDType.f32.rawValue, $0.tensor.shape) }))
        var byteCount = 0
        for (_, tensor) in ordered {
            tensor.withUnsafeBufferPointer { scalars in
                // Every platform Swift runs MusicSSL on is little-endian, as the file is.
                hasher.update(UnsafeRawBufferPointer(scalars))
                byteCount += scalars.count * MemoryLayout<Float>.size
            }
        }
        return [
            formatKey: formatName, versionKey: version, stepKey: String(step),
            trainerStateKey: trainerState, byteCountKey: String(byteCount),
            checksumKey: hexadecimal(hasher.finalize()),
        ]
    }

    /// Opens the checkpoint at `url` and checks it whole: header, metadata, data length and
    /// XXH64 (which reads every byte of the data).
    ///
    /// - Parameter expectedStep: The step the file name gives, checked against the metadata.
    /// - Throws: ``CheckpointError`` naming the file and the first fault found.
    static func verifiedCheckpoint(at url: URL, expectedStep: Int?) throws -> Checkpoint {
        let path = url.path
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(contentsOf: url)
        } catch let error as SafeTensorsError {
            throw CheckpointError(path: path, .unreadable(error.fault.description))
        }
        let metadata = file.metadata
        func value(_ key: String) throws -> String {
            guard let value = metadata[key] else {
                throw CheckpointError(path: path, .missingMetadata(key: key))
            }
            return value
        }
        guard try value(formatKey) == formatName else {
            throw CheckpointError(path: path, .missingMetadata(key: formatKey))
        }
        let fileVersion = try value(versionKey)
        guard let number = Int(fileVersion), number >= 1 else {
            throw CheckpointError(path: path, .missingMetadata(key: versionKey))
        }
        guard number <= versionNumber else {
            throw CheckpointError(path: path, .unsupportedVersion(fileVersion))
        }
        guard let step = Int(try value(stepKey)), step >= 0 else {
            throw CheckpointError(path: path, .missingMetadata(key: stepKey))
        }
        if let expectedStep, expectedStep != step {
            throw CheckpointError(
                path: path, .stepMismatch(fileNameStep: expectedStep, metadataStep: step))
        }
        guard let declaredByteCount = Int(try value(byteCountKey)), declaredByteCount >= 0 else {
            throw CheckpointError(path: path, .missingMetadata(key: byteCountKey))
        }
        let declaredChecksum = try value(checksumKey)
        let trainerState = try value(trainerStateKey)
        let described = file.tensorNames
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .compactMap { name in file.info(for: name).map { (name, $0.dtype.rawValue, $0.shape) } }
        var hasher = XXHash64()
        hasher.update(
            manifest(
                version: fileVersion, step: step, trainerState: trainerState, tensors: described))
        let (actualByteCount, checksum) = try digestData(of: url, into: hasher)
        guard actualByteCount == declaredByteCount else {
            throw CheckpointError(
                path: path,
                .truncated(expectedByteCount: declaredByteCount, actualByteCount: actualByteCount))
        }
        let actualChecksum = hexadecimal(checksum)
        guard actualChecksum == declaredChecksum else {
            throw CheckpointError(
                path: path, .checksumMismatch(expected: declaredChecksum, actual: actualChecksum))
        }
        return Checkpoint(step: step, file: file, trainerState: trainerState)
    }

    /// The bytes the checksum starts with: what the header says, in a canonical text form
    /// (with the file's own format version, so later versions can still check older files).
    private static func manifest(
        version: String, step: Int, trainerState: String,
        tensors: [(name: String, dtype: String, shape: [Int])]
    ) -> [UInt8] {
        var text = "\(formatName) \(version)\nstep \(step)\ntrainer_state \(trainerState)\n"
        for (name, dtype, shape) in tensors {
            text += "tensor \(name) \(dtype) \(shape.map(String.init).joined(separator: ","))\n"
        }
        return Array(text.utf8)
    }

    /// The length of the data buffer (everything after the header) of the safetensors file at
    /// `url`, and the digest of `hasher` fed that buffer, read in 4 MiB pieces.
    private static func digestData(
        of url: URL, into hasher: XXHash64
    ) throws -> (byteCount: Int, digest: UInt64) {
        var hasher = hasher
        let path = url.path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CheckpointError(path: path, .fileSystem(systemReason("open")))
        }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 4 << 20)
        func readFully(_ count: Int) throws -> Int {
            try buffer.withUnsafeMutableBytes { bytes in
                guard let base = bytes.baseAddress else { return 0 }
                var filled = 0
                while filled < count {
                    let result = read(descriptor, base + filled, count - filled)
                    if result < 0 {
                        if errno == EINTR { continue }
                        throw CheckpointError(path: path, .fileSystem(systemReason("read")))
                    }
                    if result == 0 { break }
                    filled += result
                }
                return filled
            }
        }
        // The header was validated by SafeTensorsFile, so its length field is trustworthy.
        guard try readFully(8) == 8 else {
            throw CheckpointError(path: path, .unreadable("file shrank while being read"))
        }
        let headerByteCount = buffer.withUnsafeBytes {
            Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)))
        }
        guard lseek(descriptor, off_t(8 + headerByteCount), SEEK_SET) >= 0 else {
            throw CheckpointError(path: path, .fileSystem(systemReason("lseek")))
        }
        var byteCount = 0
        while true {
            let count = try readFully(buffer.count)
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            byteCount += count
        }
        return (byteCount, hasher.finalize())
    }

    /// `value` as 16 lowercase hexadecimal digits.
    static func hexadecimal(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// `call failed: reason` from `errno`.
    static func systemReason(_ call: String) -> String {
        "\(call) failed: \(String(cString: strerror(errno)))"
    }
}
