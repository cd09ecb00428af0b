/// Why a corpus could not be listed or cropped: the folder or manifest and the reason.
///
/// Messages read `[corpus] /data/train.tsv: line 7: expected 'relative/path<TAB>num_samples',
/// found 1 field`. A file that fails to decode during a scan is not an error: the scan skips it
/// and lists it in ``CorpusScanSummary/skipped``.
public struct CorpusError: Error, CustomStringConvertible, Equatable {
    /// What was wrong.
    public enum Reason: Equatable, Sendable {
        /// The corpus folder does not exist or is not a directory.
        case notADirectory
        /// The folder or manifest could not be read; the system's reason.
        case unreadable(String)
        /// A manifest line is malformed; its 1-based number and what is wrong.
        case malformedManifest(line: Int, String)
        /// The corpus holds no file that decodes.
        case noUsableFiles
        /// A crop length or sample rate is not positive and finite; what was given.
        case invalidArgument(String)
        /// A file index is outside the corpus.
        case fileIndexOutOfRange(index: Int, fileCount: Int)
    }

    /// The corpus folder, manifest or audio file the error is about.
    public let path: String
    /// What went wrong.
    public let reason: Reason

    /// Creates an error about `path`.
    public init(path: String, _ reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// `[corpus] <path>: <reason>`.
    public var description: String { "[corpus] \(path): \(reason)" }
}

extension CorpusError.Reason: CustomStringConvertible {
    /// The reason in words.
    public var description: String {
        switch self {
        case .notADirectory:
            "not a directory"
        case .unreadable(let reason):
            "unreadable: \(reason)"
        case .malformedManifest(let line, let reason):
            "line \(line): \(reason)"
        case .noUsableFiles:
            "no audio file in the corpus decodes"
        case .invalidArgument(let reason):
            "invalid argument: \(reason)"
        case .fileIndexOutOfRange(let index, let fileCount):
            "file index \(index) is outside the corpus's \(fileCount) files"
        }
    }
}
