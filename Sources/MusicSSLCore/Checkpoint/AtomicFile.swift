import Foundation

/// Writes a file through a temporary sibling and a rename, so the destination holds either its
/// previous contents or the complete new ones, never a partial file.
///
/// ```swift
/// try AtomicFile.write(to: url) { sink in
///     try sink.append(Array("step,loss\n".utf8))
/// }
/// try AtomicFile.synchronizeDirectory(containing: url)   // the rename survives power loss too
/// ```
///
/// The temporary file is named `.<name>.<UUID>.partial` in the destination's folder: hidden, so
/// folder scans skip it, and recognisable, so a reader can remove one left by a killed writer.
public enum AtomicFile {
    /// The suffix of every temporary file ``write(to:_:)`` creates.
    public static let temporarySuffix = ".partial"

    /// The open temporary file that ``AtomicFile/write(to:_:)``'s body appends to.
    public final class Sink {
        private let descriptor: Int32
        private let path: String

        fileprivate init(descriptor: Int32, path: String) {
            self.descriptor = descriptor
            self.path = path
        }

        /// Appends `bytes`, retrying short writes and interrupted calls.
        ///
        /// - Throws: `SystemCallError` naming the temporary file when the write fails.
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

        /// Appends `bytes`.
        ///
        /// - Throws: `SystemCallError` naming the temporary file when the write fails.
        public func append(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try append($0) }
        }
    }

    /// Creates a temporary file next to `url`, lets `body` fill it, flushes it to disk and renames
    /// it over `url`. On any failure the temporary file is removed and `url` is left untouched.
    ///
    /// A process killed inside this call leaves `url` as it was and, at worst, a temporary file
    /// ending in ``temporarySuffix``; the data is flushed (`fsync`) before the rename, so the name
    /// never points at unwritten data. Call ``synchronizeDirectory(containing:)`` afterwards when
    /// the rename itself must survive a power loss.
    ///
    /// - Throws: `SystemCallError` from the file system, or whatever `body` throws.
    public static func write(to url: URL, _ body: (Sink) throws -> Void) throws {
        let destination = url.path
        // Same directory, so the rename cannot cross file systems; hidden and unique, so a
        // concurrent writer or a directory listing never mistakes it for a finished file.
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(
                ".\(url.lastPathComponent).\(UUID().uuidString)\(temporarySuffix)"
            ).path
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

    /// Flushes the folder holding `url` to disk (`fsync` on the folder), so that renames and
    /// deletions in it, such as the one ``write(to:_:)`` ends with, survive a power loss.
    ///
    /// - Throws: `SystemCallError` naming the folder when it cannot be opened or flushed.
    public static func synchronizeDirectory(containing url: URL) throws {
        let folder = url.deletingLastPathComponent().path
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemCallError("open", path: folder) }
        defer { close(descriptor) }
        // Some file systems refuse fsync on a folder (EINVAL); their renames are already durable.
        guard fsync(descriptor) == 0 || errno == EINVAL else {
            throw SystemCallError("fsync", path: folder)
        }
    }
}

/// POSIX `write`, named apart from ``AtomicFile/write(to:_:)`` which hides it inside the enum.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
