/// Why a PyTorch checkpoint (`torch.save` file) could not be read: the file and the fault.
///
/// Messages read `[torch] /path/pytorch_model.bin: refused global 'os.system': only
/// allow-listed names (…) may appear in a checkpoint`.
public struct TorchCheckpointError: Error, CustomStringConvertible, Equatable {
    /// What was wrong with the file, its archive, its pickle or a tensor in it.
    public enum Fault: Equatable, Sendable {
        /// The file could not be opened or mapped; the system's reason.
        case fileSystem(String)
        /// The file is a pre-1.6 (non-zip) `torch.save` file, which this reader does not parse.
        case legacyFormat
        /// The zip container is malformed or truncated; what was found.
        case malformedArchive(String)
        /// A zip entry is compressed or encrypted; torch writes every entry STORED.
        case compressedEntry(name: String, method: Int)
        /// A zip entry the checkpoint needs is absent.
        case missingEntry(String)
        /// The pickle names a global outside the allow-list; module and name as written.
        case refusedGlobal(module: String, name: String)
        /// The pickle stream has an opcode this reader does not implement.
        case unknownOpcode(UInt8, offset: Int)
        /// The pickle stream is malformed at `offset`; what was wrong.
        case malformedPickle(offset: Int, String)
        /// A tensor's header does not describe valid data; what was wrong.
        case invalidTensor(String)
        /// A tensor or storage needs more bytes than its storage entry holds.
        case storageTooSmall(key: String, needed: Int, available: Int)
        /// The storage's element type cannot be read as requested.
        case unsupportedDType(String)
        /// The value at a key path is missing or not what was asked for.
        case unexpectedValue(path: [String], String)
    }

    /// The checkpoint file the error is about.
    public let path: String
    /// What went wrong.
    public let fault: Fault

    /// Creates an error about the checkpoint at `path`.
    public init(path: String, _ fault: Fault) {
        self.path = path
        self.fault = fault
    }

    public var description: String { "[torch] \(path): \(fault)" }
}

// A fault is thrown on its own inside the reader, then wrapped with the file's path.
extension TorchCheckpointError.Fault: Error, CustomStringConvertible {
    public var description: String {
        switch self {
        case .fileSystem(let reason):
            reason
        case .legacyFormat:
            "legacy (pre-1.6, non-zip) torch.save format is not supported; re-save it with "
                + "torch >= 1.6 (torch.save(torch.load(path), path))"
        case .malformedArchive(let reason):
            "malformed zip archive: \(reason)"
        case .compressedEntry(let name, let method):
            "zip entry '\(name)' uses compression method \(method) or encryption; "
                + "only STORED entries (as torch.save writes) are read"
        case .missingEntry(let name):
            "the archive has no entry '\(name)'"
        case .refusedGlobal(let module, let name):
            "refused global '\(module).\(name)': only allow-listed names (torch storages and "
                + "tensors, collections, argparse, omegaconf, fairseq configs, numpy scalars) "
                + "may appear in a checkpoint"
        case .unknownOpcode(let opcode, let offset):
            "unsupported pickle opcode 0x\(String(opcode, radix: 16)) at byte \(offset)"
        case .malformedPickle(let offset, let reason):
            "malformed pickle at byte \(offset): \(reason)"
        case .invalidTensor(let reason):
            "invalid tensor: \(reason)"
        case .storageTooSmall(let key, let needed, let available):
            "storage '\(key)' holds \(available) bytes, but \(needed) are needed"
        case .unsupportedDType(let reason):
            "unsupported dtype: \(reason)"
        case .unexpectedValue(let path, let reason):
            "at \(path): \(reason)"
        }
    }
}
