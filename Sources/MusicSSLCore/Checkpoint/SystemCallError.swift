import Foundation

/// A failed POSIX call on a file: which call, which path, and the system's reason.
struct SystemCallError: Error, CustomStringConvertible {
    /// The call that failed, e.g. `open` or `rename`.
    let call: String
    /// The file the call was about.
    let path: String
    /// Why it failed, usually `strerror(errno)`.
    let reason: String

    /// Captures `errno` right after `call` failed on `path`.
    init(_ call: String, path: String) {
        self.init(call, path: path, reason: String(cString: strerror(errno)))
    }

    /// A failure of `call` on `path` for a reason found by our own check.
    init(_ call: String, path: String, reason: String) {
        self.call = call
        self.path = path
        self.reason = reason
    }

    var description: String { "\(call) failed on \(path): \(reason)" }
}
