import Foundation

/// Writes a file through a temporary sibling and a rename, so the destination holds either its
/// previous contents or the complete new ones, never a partial file.
public enum AtomicFile {
    /// The open temporary file that ``write(to:_:)``'s body appends to.
    public final class Sink {
        private let descriptor: Int32
        private let path: String

        fileprivate init(descriptor: Int32, path: String) {
            self.descriptor = descriptor
            self.path = path
        }

        /// Appends `bytes`, retrying short writes and interrupted calls.
        public func append(_ bytes: UnsafeRawBufferPointer) throws {
            guard let base = bytes.baseAddress else { return }
            var written = 0
            while written < bytes.count {
                let result = systemWrite(descriptor, base + written, bytes.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw SystemCallError("write", path: path)
                }
                written += result
            }
        }
    }

    /// Creates a temporary file next to `url`, lets `body` fill it, flushes it to disk and renames
    /// it over `url`. On any failure the temporary file is removed and `url` is left untouched.
    ///
    /// - Throws: ``SystemCallError`` from the file system, or whatever `body` throws.
    public static func write(to url: URL, _ body: (Sink) throws -> Void) throws {
        let destination = url.path
        // Same directory, so the rename cannot cross file systems; hidden and unique, so a
        // concurrent writer or a directory listing never mistakes it for a finished file.
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SystemCallError("open", path: temporary) }
        var isRenamed = false
        defer { if !isRenamed { unlink(temporary) } }
        do {
            try body(Sink(descriptor: descriptor, path: temporary))
            // Flushed before the rename, so a crash cannot leave a complete name on empty data.
            guard fsync(descriptor) == 0 else { throw SystemCallError("fsync", path: temporary) }
        } catch {
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else { throw SystemCallError("close", path: temporary) }
        guard rename(temporary, destination) == 0 else {
            throw SystemCallError("rename", path: destination)
        }
        isRenamed = true
    }
}

/// POSIX `write`, named apart from ``AtomicFile/write(to:_:)`` which hides it inside the enum.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
