/// Why cluster label files could not be read or written: the file, the 1-based line when one is
/// at fault, and what is wrong.
///
/// Messages read `[labels] /data/labels/train.km: line 7: cluster id 512 is outside 0..<500
/// (dict.km.txt has 500 entries)`.
public struct ClusterLabelError: Error, CustomStringConvertible, Equatable {
    /// What was wrong.
    public enum Fault: Equatable, Sendable {
        /// The file does not exist or cannot be read; the system's reason.
        case unreadable(String)
        /// The file or folder cannot be written; the system's reason.
        case unwritable(String)
        /// The label file and the manifest list different numbers of clips.
        case lineCountMismatch(labelLines: Int, manifestClips: Int, manifestPath: String)
        /// A token of a label line is not a non-negative integer.
        case notAClusterID(line: Int, token: String)
        /// A cluster id is not below K.
        case clusterIDOutOfRange(line: Int, id: Int, clusterCount: Int)
        /// A line of `dict.km.txt` is not `<id> <count>` with ids 0, 1, 2, … in order.
        case malformedDictionary(line: Int, found: String)
        /// The `.km.json` sidecar is invalid or contradicts the dictionary.
        case malformedInfo(String)
        /// A value given to write is invalid.
        case invalidArgument(String)
    }

    /// The file the error is about.
    public let path: String
    /// What went wrong.
    public let fault: Fault

    /// Creates an error about `path`.
    public init(path: String, _ fault: Fault) {
        self.path = path
        self.fault = fault
    }

    /// `[labels] <path>: <fault>`.
    public var description: String {
        let detail: String
        switch fault {
        case .unreadable(let reason):
            detail = "cannot be read: \(reason)"
        case .unwritable(let reason):
            detail = "cannot be written: \(reason)"
        case .lineCountMismatch(let labelLines, let manifestClips, let manifestPath):
            detail =
                "\(labelLines) label lines, but the manifest \(manifestPath) lists \(manifestClips) clips"
        case .notAClusterID(let line, let token):
            detail = "line \(line): '\(token)' is not a cluster id (a non-negative integer)"
        case .clusterIDOutOfRange(let line, let id, let clusterCount):
            detail =
                "line \(line): cluster id \(id) is outside 0..<\(clusterCount) (dict.km.txt has \(clusterCount) entries)"
        case .malformedDictionary(let line, let found):
            detail = "line \(line): expected '\(line - 1) <count>', found '\(found)'"
        case .malformedInfo(let reason):
            detail = reason
        case .invalidArgument(let reason):
            detail = reason
        }
        return "[labels] \(path): \(detail)"
    }
}
