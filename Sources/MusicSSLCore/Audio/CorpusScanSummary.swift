import Foundation

/// What a corpus scan found: how many files it listed and kept, how many it opened or took from
/// the duration index, and which files it skipped and why.
///
/// Its description is the line to print after a scan:
/// `1204 files (83.2 h), 1198 read from the index, 6 opened; skipped 2: a.wav (unsupported or
/// unrecognised format: …); b.flac (empty: the file holds no audio frames)`.
public struct CorpusScanSummary: Sendable, Equatable, CustomStringConvertible {
    /// A file the scan could not use, and why.
    public struct SkippedFile: Sendable, Equatable {
        /// The path as listed (relative to the corpus root for a folder scan).
        public let path: String
        /// The decoder's or the file system's reason.
        public let reason: String

        /// Records that the file listed as `path` was skipped for `reason`.
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// How many skipped files ``description`` names; the rest are counted.
    public static let namedSkippedFileCount = 5

    /// Files found in the folder or listed in the manifest.
    public let listedCount: Int
    /// Files that opened and hold audio: the corpus's files.
    public let usableCount: Int
    /// Total length of the usable files in seconds.
    public let totalDurationSeconds: Double
    /// Files opened during this scan (new or changed since the index was written).
    public let inspectedCount: Int
    /// Files whose facts came from the duration index without opening them.
    public let reusedCount: Int
    /// Files that failed to open or hold no audio, in listing order.
    public let skipped: [SkippedFile]
    /// Where the duration index was read from or written to; nil when it is disabled or could
    /// not be written.
    public let indexURL: URL?
    /// Why the index could not be written, when it could not.
    public let indexProblem: String?

    /// The one-line summary shown above.
    public var description: String {
        let hours = totalDurationSeconds / 3600
        var text = "\(usableCount) files (\(String(format: "%.1f", hours)) h), "
        text += "\(reusedCount) read from the index, \(inspectedCount) opened"
        if !skipped.isEmpty {
            let named = skipped.prefix(Self.namedSkippedFileCount)
                .map { "\($0.path) (\($0.reason))" }.joined(separator: "; ")
            text += "; skipped \(skipped.count): \(named)"
            if skipped.count > Self.namedSkippedFileCount {
                text += "; and \(skipped.count - Self.namedSkippedFileCount) more"
            }
        }
        if let indexProblem {
            text += "; index not saved: \(indexProblem)"
        }
        return text
    }
}
