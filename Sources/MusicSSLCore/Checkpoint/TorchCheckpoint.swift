import Foundation

/// A PyTorch checkpoint written by `torch.save` (torch >= 1.6 zip format): HuggingFace's
/// `pytorch_model.bin`, fairseq's `.pt`. The pickle is decoded by a restricted unpickler that
/// executes nothing; tensor data stays on disk (memory-mapped) until a tensor is asked for.
///
/// ```swift
/// let checkpoint = try TorchCheckpoint(contentsOf: url)
/// let weights = try checkpoint.stateDict(at: ["model"])  // fairseq; [] for HF .bin
/// let config = checkpoint.root["cfg"]
/// ```
///
/// Only allow-listed globals may appear in the pickle (see ``PickleValue`` and
/// Documentation/Interchange.md); any other, such as `os.system`, is refused with a
/// ``TorchCheckpointError`` that names it. Every offset, length and stride is checked against
/// the file before it is used.
public struct TorchCheckpoint: Sendable {
    /// The checkpoint's location.
    public let url: URL
    /// The object that was saved: a state dict, or a dict holding one (`model`) with metadata.
    public let root: PickleValue
    /// The archive's top folder (it varies: `archive`, the file's stem, …).
    public let archiveFolder: String

    private let file: MappedFile
    /// File byte range of each storage's data, by storage key.
    private let storageRanges: [String: Range<Int>]

    /// Opens the checkpoint at `url`, decodes its pickle and checks every storage it names.
    ///
    /// - Throws: ``TorchCheckpointError`` when the file cannot be read, is not a torch >= 1.6
    ///   zip checkpoint, names a global outside the allow-list, or is malformed.
    public init(contentsOf url: URL) throws {
        let path = url.path
        do {
            file = try MappedFile(path: path)
        } catch let error as SystemCallError {
            throw TorchCheckpointError(path: path, .fileSystem(error.description))
        }
        let (archive, folder, pickle) = try file.withBytes(in: 0..<file.byteCount) { bytes in
            // The legacy format starts with a pickled magic number: PROTO 2, LONG1.
            if bytes.count >= 2, bytes[0] == 0x80, bytes[1] == 0x02 {
                throw TorchCheckpointError(path: path, .legacyFormat)
            }
            let archive = try TorchCheckpointArchive(bytes, path: path)
            let folder = try Self.archiveFolder(of: archive, path: path)
            guard let range = archive.entries["\(folder)/data.pkl"] else {
                throw TorchCheckpointError(path: path, .missingEntry("\(folder)/data.pkl"))
            }
            if let order = archive.entries["\(folder)/byteorder"],
                String(decoding: bytes[order], as: UTF8.self) != "little"
            {
                throw TorchCheckpointError(
                    path: path, .malformedArchive("only little-endian checkpoints are read"))
            }
            return (archive, folder, Array(bytes[range]))
        }
        var machine = PickleMachine(bytes: pickle, path: path)
        root = try machine.run()
        var ranges: [String: Range<Int>] = [:]
        for (key, storage) in machine.storages {
            let name = "\(folder)/data/\(key)"
            guard let range = archive.entries[name] else {
                throw TorchCheckpointError(path: path, .missingEntry(name))
            }
            let needed = storage.elementCount * storage.dtype.elementByteCount
            guard range.count >= needed else {
                throw TorchCheckpointError(
                    path: path, .storageTooSmall(key: key, needed: needed, available: range.count))
            }
            ranges[key] = range
        }
        self.url = url
        self.archiveFolder = folder
        self.storageRanges = ranges
    }

    /// The folder holding `data.pkl`: the single top-level folder that has one.
    private static func archiveFolder(
        of archive: TorchCheckpointArchive, path: String
    ) throws(TorchCheckpointError) -> String {
        let folders = archive.entries.keys.compactMap { name -> String? in
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 2 && parts[1] == "data.pkl" ? String(parts[0]) : nil
        }
        guard folders.count == 1, let folder = folders.first else {
            if folders.isEmpty {
                throw TorchCheckpointError(path: path, .missingEntry("<folder>/data.pkl"))
            }
            throw TorchCheckpointError(
                path: path, .malformedArchive("several data.pkl entries: \(folders.sorted())"))
        }
        return folder
    }

    /// The value reached from ``root`` by following dict keys, e.g. `["model"]`.
    ///
    /// - Throws: ``TorchCheckpointError`` when a step is not a dict or lacks the key.
    public func value(at path: [String]) throws -> PickleValue {
        var value = root
        for (depth, key) in path.enumerated() {
            guard let next = value[key] else {
                throw TorchCheckpointError(
                    path: url.path,
                    .unexpectedValue(path: Array(path[...depth]), "no such key in a dict"))
            }
            value = next
        }
        return value
    }

    /// The tensors of the state dict at `path` (`[]` for a HuggingFace `pytorch_model.bin`,
    /// `["model"]` for fairseq), converted to Float32, by name.
    ///
    /// Float16 and bfloat16 convert exactly, float64 rounds, integer and bool tensors convert
    /// to their Float32 values (exact below 2²⁴).
    ///
    /// - Throws: ``TorchCheckpointError`` when the value there is not a dict of tensors keyed
    ///   by strings, or a tensor cannot be read.
    public func stateDict(at path: [String] = []) throws -> [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        for (name, reference) in try tensorReferences(at: path) {
            tensors[name] = try tensor(reference)
        }
        return tensors
    }

    /// The names and tensor references of the state dict at `path`, in the saved order,
    /// without reading any data (for listing shapes and dtypes).
    ///
    /// - Throws: ``TorchCheckpointError`` when the value there is not a dict of tensors keyed
    ///   by strings.
    public func tensorReferences(
        at path: [String] = []
    ) throws -> [(name: String, reference: TorchTensorReference)] {
        guard case .dict(let entries) = try value(at: path) else {
            throw TorchCheckpointError(
                path: url.path, .unexpectedValue(path: path, "not a dict (state dict)"))
        }
        return try entries.map { entry in
            guard case .string(let name) = entry.key, case .tensor(let reference) = entry.value
            else {
                throw TorchCheckpointError(
                    path: url.path,
                    .unexpectedValue(path: path, "entry \(entry.key) is not a named tensor"))
            }
            return (name, reference)
        }
    }

    /// Reads a tensor as Float32 (gathering non-contiguous views into row-major order).
    ///
    /// - Throws: ``TorchCheckpointError`` when its storage is not one this checkpoint checked.
    public func tensor(_ reference: TorchTensorReference) throws -> Tensor {
        try withStorage(reference) { bytes in
            switch reference.storage.dtype {
            case .float32 where reference.isContiguous:
                // Stored little-endian, as every platform we build for: a straight copy.
                Tensor.filling(reference.shape) { output in
                    guard let start = bytes.baseAddress, reference.elementCount > 0 else { return }
                    UnsafeMutableRawPointer(output).copyMemory(
                        from: start + reference.storageOffset * 4,
                        byteCount: reference.elementCount * 4)
                }
            case .float32: Self.gather(reference, bytes, UInt32.self) { Float(bitPattern: $0) }
            case .float16: Self.gather(reference, bytes, UInt16.self, float32(fromHalfBits:))
            case .bfloat16:
                Self.gather(reference, bytes, UInt16.self, float32(fromBFloat16Bits:))
            case .float64:
                Self.gather(reference, bytes, UInt64.self) { Float(Double(bitPattern: $0)) }
            case .int64: Self.gather(reference, bytes, UInt64.self) { Float(Int64(bitPattern: $0)) }
            case .int32: Self.gather(reference, bytes, UInt32.self) { Float(Int32(bitPattern: $0)) }
            case .int16: Self.gather(reference, bytes, UInt16.self) { Float(Int16(bitPattern: $0)) }
            case .int8: Self.gather(reference, bytes, UInt8.self) { Float(Int8(bitPattern: $0)) }
            case .uint8, .bool: Self.gather(reference, bytes, UInt8.self) { Float($0) }
            }
        }
    }

    /// Reads an integer or bool tensor's elements in row-major order (`num_updates`, indices).
    ///
    /// - Throws: ``TorchCheckpointError`` for floating-point tensors or unchecked storages.
    public func integers(_ reference: TorchTensorReference) throws -> [Int] {
        let dtype = reference.storage.dtype
        guard dtype.isInteger else {
            throw TorchCheckpointError(
                path: url.path, .unsupportedDType("\(dtype) is not an integer type"))
        }
        return try withStorage(reference) { bytes in
            var values: [Int] = []
            values.reserveCapacity(reference.elementCount)
            let size = dtype.elementByteCount
            reference.forEachStorageIndex { index in
                values.append(Self.integer(in: bytes, at: index * size, dtype))
            }
            return values
        }
    }

    /// The little-endian integer of `dtype` at byte `offset`.
    private static func integer(
        in bytes: UnsafeRawBufferPointer, at offset: Int, _ dtype: TorchDType
    ) -> Int {
        switch dtype {
        case .int64:
            Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        case .int32:
            Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        case .int16:
            Int(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
        case .int8: Int(Int8(bitPattern: bytes[offset]))
        default: Int(bytes[offset])
        }
    }

    /// Calls `body` with the bytes of the reference's storage, checked at opening.
    private func withStorage<R>(
        _ reference: TorchTensorReference, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        let storage = reference.storage
        guard let range = storageRanges[storage.key],
            range.count >= storage.elementCount * storage.dtype.elementByteCount
        else {
            throw TorchCheckpointError(path: url.path, .missingEntry("data/\(storage.key)"))
        }
        return try file.withBytes(in: range, body)
    }

    /// A row-major tensor of the view's elements, each little-endian `Bits` passed to `convert`.
    private static func gather<Bits: FixedWidthInteger>(
        _ reference: TorchTensorReference, _ bytes: UnsafeRawBufferPointer, _: Bits.Type,
        _ convert: (Bits) -> Float
    ) -> Tensor {
        let size = MemoryLayout<Bits>.size
        return Tensor.filling(reference.shape) { output in
            if reference.isContiguous {
                // The common case (every weight of a saved model): one linear pass.
                let start = reference.storageOffset * size
                for i in 0..<reference.elementCount {
                    let bits = bytes.loadUnaligned(fromByteOffset: start + i * size, as: Bits.self)
                    output[i] = convert(Bits(littleEndian: bits))
                }
                return
            }
            var next = 0
            reference.forEachStorageIndex { index in
                let bits = bytes.loadUnaligned(fromByteOffset: index * size, as: Bits.self)
                output[next] = convert(Bits(littleEndian: bits))
                next += 1
            }
        }
    }
}
