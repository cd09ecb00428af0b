import Foundation

/// What ``CheckpointStore/latest()`` found: the newest checkpoint that verified, the newer ones
/// it had to pass over and why, and the temporary files of interrupted writes it removed.
///
/// ```swift
/// let search = try store.latest()
/// for warning in search.warnings { print("warning: \(warning)") }
/// if let checkpoint = search.checkpoint { resume(from: checkpoint) }
/// ```
public struct CheckpointSearch: Sendable {
    /// The newest checkpoint whose file verified whole; nil when the store holds none.
    public let checkpoint: Checkpoint?
    /// Checkpoint files newer than ``checkpoint`` that failed verification (truncated,
    /// corrupt, unreadable), newest first, each naming its file.
    public let rejected: [CheckpointError]
    /// Temporary files left by interrupted writes, now deleted.
    public let removedTemporaryFiles: [URL]

    /// One sentence per rejected file and per removed temporary file, for the caller to print.
    public var warnings: [String] {
        let fallback = checkpoint.map { "using step \($0.step) instead" } ?? "no older one verifies"
        return rejected.map { "skipped a damaged checkpoint (\(fallback)): \($0)" }
            + removedTemporaryFiles.map {
                "removed \($0.path), left by a checkpoint write that was interrupted"
            }
    }
}
