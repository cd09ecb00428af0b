/// Why a run directory could not be opened or written: the path and the fault.
///
/// Messages read `[run] runs/tiny: in use by process 4242 (lock file runs/tiny/run.lock); wait
/// for that run to end or write to another directory`.
public struct RunDirectoryError: Error, CustomStringConvertible, Equatable {
    /// What was wrong.
    public enum Fault: Equatable, Sendable {
        /// Another run holds the directory's lock; its process id when the lock file names one.
        case locked(processID: Int?, lockFile: String)
        /// A file system call failed; the system's reason.
        case fileSystem(String)
    }

    /// The run directory, or the file in it, the error is about.
    public let path: String
    /// What went wrong.
    public let fault: Fault

    /// Creates an error about `path`.
    public init(path: String, _ fault: Fault) {
        self.path = path
        self.fault = fault
    }

    /// The message: the path, then the fault.
    public var description: String { "[run] \(path): \(fault)" }
}

extension RunDirectoryError.Fault: CustomStringConvertible {
    /// The fault in words.
    public var description: String {
        switch self {
        case .locked(let processID, let lockFile):
            let owner = processID.map { "process \($0)" } ?? "another process"
            return "in use by \(owner) (lock file \(lockFile)); wait for that run to end or "
                + "write to another directory"
        case .fileSystem(let reason):
            return reason
        }
    }
}
