/// Why a training checkpoint could not be written, found or trusted: the file and the fault.
///
/// Messages read `[checkpoint] run/checkpoints/checkpoint-000002000.safetensors: data is 812
/// bytes but the header declares 4096 (the write was cut short)`.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    /// What was wrong.
    public enum Fault: Equatable, Sendable {
        /// The file is not a readable safetensors file; the reader's reason.
        case unreadable(String)
        /// The file is a safetensors file but not one ``CheckpointStore`` wrote: a key of its
        /// `__metadata__` is missing or malformed.
        case missingMetadata(key: String)
        /// The format version is newer than this library reads.
        case unsupportedVersion(String)
        /// The data buffer's length differs from the one recorded at writing.
        case truncated(expectedByteCount: Int, actualByteCount: Int)
        /// The data's XXH64 differs from the one recorded at writing.
        case checksumMismatch(expected: String, actual: String)
        /// The step in the file name and the step in the metadata disagree.
        case stepMismatch(fileNameStep: Int, metadataStep: Int)
        /// No checkpoint for that step is in the store.
        case noSuchCheckpoint(step: Int)
        /// The trainer state JSON does not decode as the type asked for; the decoder's reason.
        case trainerStateDecoding(String)
        /// A bad argument: a negative step, a keep count below 1, a reserved tensor name.
        case invalidArgument(String)
        /// A file system call failed; the system's reason.
        case fileSystem(String)
    }

    /// The checkpoint file (or the store's folder) the error is about.
    public let path: String
    /// What went wrong.
    public let fault: Fault

    /// Creates an error about `path`.
    public init(path: String, _ fault: Fault) {
        self.path = path
        self.fault = fault
    }

    /// The message: the path, then the fault.
    public var description: String { "[checkpoint] \(path): \(fault)" }
}

extension CheckpointError.Fault: CustomStringConvertible {
    /// The fault in words.
    public var description: String {
        switch self {
        case .unreadable(let reason):
            "not a readable safetensors file: \(reason)"
        case .missingMetadata(let key):
            "the metadata entry '\(key)' is missing or malformed (not a MusicSSL training "
                + "checkpoint)"
        case .unsupportedVersion(let version):
            "checkpoint format version \(version) is newer than this library reads "
                + "(\(CheckpointFormat.version))"
        case .truncated(let expected, let actual):
            "data is \(actual) bytes but the header declares \(expected) (the write was cut short "
                + "or the file was altered)"
        case .checksumMismatch(let expected, let actual):
            "data XXH64 is \(actual) but the header records \(expected) (the file is corrupt)"
        case .stepMismatch(let fileNameStep, let metadataStep):
            "the file name says step \(fileNameStep) but the metadata says \(metadataStep)"
        case .noSuchCheckpoint(let step):
            "no checkpoint for step \(step)"
        case .trainerStateDecoding(let reason):
            "trainer state does not decode: \(reason)"
        case .invalidArgument(let reason):
            reason
        case .fileSystem(let reason):
            reason
        }
    }
}
