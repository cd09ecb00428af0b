/// Why a metrics log could not be written or read: the file, and the fault.
///
/// Messages read `[metrics] run/metrics.jsonl: line 17 is not a metrics record`.
public struct MetricsLogError: Error, CustomStringConvertible, Equatable {
    /// What was wrong.
    public enum Fault: Equatable, Sendable {
        /// A line other than the last is not a JSON metrics record (1-based line number).
        case malformedLine(Int)
        /// A record cannot be logged: a reserved value name, a step not after the last one.
        case invalidRecord(String)
        /// A file system call failed; the system's reason.
        case fileSystem(String)
    }

    /// The log file, when the fault is about one.
    public let path: String?
    /// What went wrong.
    public let fault: Fault

    /// Creates an error about the log at `path`.
    public init(path: String?, _ fault: Fault) {
        self.path = path
        self.fault = fault
    }

    /// The message: the path, then the fault.
    public var description: String {
        "[metrics] " + (path.map { "\($0): " } ?? "") + fault.description
    }
}

extension MetricsLogError.Fault: CustomStringConvertible {
    /// The fault in words.
    public var description: String {
        switch self {
        case .malformedLine(let line): "line \(line) is not a metrics record"
        case .invalidRecord(let reason): reason
        case .fileSystem(let reason): reason
        }
    }
}
