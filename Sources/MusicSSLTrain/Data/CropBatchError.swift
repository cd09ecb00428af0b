/// Why crop batches could not be made: the corpus, and the fault.
///
/// Messages read `[crop batches] /data/music: every file failed to decode (3 files); see the
/// warnings for each file's reason`.
public struct CropBatchError: Error, CustomStringConvertible, Equatable {
    /// What was wrong.
    public enum Fault: Equatable, Sendable {
        /// A configuration value is out of range.
        case invalidConfiguration(String)
        /// No file of the corpus is long enough for the short-file rule.
        case noFileLongEnough(minimumSeconds: Double, fileCount: Int)
        /// Every file the batch could draw from failed to decode.
        case noReadableFiles(fileCount: Int)
        /// A batch kept drawing unusable windows; how many draws it made.
        case tooManyUnusableDraws(batchIndex: Int, draws: Int)
        /// The loader was stopped; no more batches come.
        case stopped
    }

    /// The corpus root the error is about.
    public let path: String
    /// What went wrong.
    public let fault: Fault

    /// Creates an error about the corpus at `path`.
    public init(path: String, _ fault: Fault) {
        self.path = path
        self.fault = fault
    }

    /// The message: the path, then the fault.
    public var description: String { "[crop batches] \(path): \(fault)" }
}

extension CropBatchError.Fault: CustomStringConvertible {
    /// The fault in words.
    public var description: String {
        switch self {
        case .invalidConfiguration(let reason):
            reason
        case .noFileLongEnough(let minimumSeconds, let fileCount):
            "none of the \(fileCount) files is at least \(minimumSeconds) s long"
        case .noReadableFiles(let fileCount):
            "every file failed to decode (\(fileCount) files); see the warnings for each file's "
                + "reason"
        case .tooManyUnusableDraws(let batchIndex, let draws):
            "batch \(batchIndex) drew \(draws) windows without finding a readable, long enough one"
        case .stopped:
            "the loader was stopped"
        }
    }
}
