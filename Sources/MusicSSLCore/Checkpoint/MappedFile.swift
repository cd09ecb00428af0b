import Foundation

/// A whole file mapped read-only into memory; pages are read from disk only when touched.
///
/// The mapping is private and read-only. As with any memory map, another process truncating the
/// file while it is mapped makes later reads of the lost pages fault (SIGBUS); checkpoints are
/// written by rename, never truncated in place, so a mapped file keeps its old contents.
final class MappedFile: @unchecked Sendable {
    /// First byte of the mapping (nil for an empty file, which cannot be mapped).
    private let start: UnsafeRawPointer?
    /// Length of the file in bytes.
    let byteCount: Int

    /// Maps the file at `path`.
    ///
    /// - Throws: ``SystemCallError`` when the file cannot be opened, inspected or mapped.
    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemCallError("open", path: path) }
        // The mapping keeps the file alive; the descriptor is not needed after mmap.
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw SystemCallError("fstat", path: path) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw SystemCallError("open", path: path, reason: "not a regular file")
        }
        byteCount = Int(status.st_size)
        guard byteCount > 0 else {
            start = nil
            return
        }
        guard let address = mmap(nil, byteCount, PROT_READ, MAP_PRIVATE, descriptor, 0),
            address != MAP_FAILED
        else { throw SystemCallError("mmap", path: path) }
        start = UnsafeRawPointer(address)
    }

    deinit {
        if let start { munmap(UnsafeMutableRawPointer(mutating: start), byteCount) }
    }

    /// Calls `body` with the bytes in `range`, which the caller has checked lies in the file.
    func withBytes<R>(
        in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        guard let start, !range.isEmpty else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeRawBufferPointer(start: start + range.lowerBound, count: range.count))
    }
}
