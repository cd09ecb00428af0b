import Foundation

/// A failed POSIX call on a file: which call, which path, and the system's reason.
struct SystemCallError: Error, CustomStringConvertible {
    /// The call that failed, e.g. `open` or `rename`.
    let call: String
    /// The file the call was about.
    let path: String
    /// `strerror(errno)` at the time of the failure.
    let reason: String

    /// Captures `errno` right after `call` failed on `path`.
    init(_ call: String, path: String) {
        self.call = call
        self.path = path
        self.reason = String(cString: strerror(errno))
    }

    var description: String { "\(call) failed on \(path): \(reason)" }
}
