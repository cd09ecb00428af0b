import CSndFile
import Foundation

/// A file opened read-only and handed to libsndfile through its virtual I/O interface, so every
/// byte libsndfile reads is counted: ``AudioFileReader/bytesRead`` shows that a windowed read
/// seeks rather than decodes the whole file.
final class CountingFileSource {
    /// The open descriptor, closed when this object is released.
    let descriptor: Int32
    /// Bytes libsndfile has read through ``read(into:count:)`` since the file was opened.
    private(set) var bytesRead = 0

    /// Opens the regular file at `path`.
    ///
    /// - Throws: ``AudioError`` `.missing`, `.notAFile`, `.unreadable` or `.empty` (zero bytes).
    init(path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw AudioError(
                path: path,
                errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno))))
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw AudioError(path: path, .notAFile) }
        guard status.st_size > 0 else { throw AudioError(path: path, .empty) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw AudioError(path: path, .unreadable(String(cString: strerror(errno))))
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The file's current size in bytes (0 if it cannot be read).
    var byteCount: Int {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
    }

    /// The callbacks libsndfile calls with `user_data` pointing at a ``CountingFileSource``.
    /// libsndfile copies the struct, so a fresh value per open is fine.
    static var virtualIO: SF_VIRTUAL_IO {
        SF_VIRTUAL_IO(
            get_filelen: { user in
                guard let source = CountingFileSource.source(user) else { return -1 }
                var status = stat()
                return fstat(source.descriptor, &status) == 0 ? sf_count_t(status.st_size) : -1
            },
            seek: { offset, whence, user in
                guard let source = CountingFileSource.source(user) else { return -1 }
                return sf_count_t(lseek(source.descriptor, off_t(offset), whence))
            },
            read: { buffer, count, user in
                guard let source = CountingFileSource.source(user), let buffer, count > 0 else {
                    return 0
                }
                return sf_count_t(source.read(into: buffer, count: Int(count)))
            },
            write: { _, _, _ in 0 },
            tell: { user in
                guard let source = CountingFileSource.source(user) else { return -1 }
                return sf_count_t(lseek(source.descriptor, 0, SEEK_CUR))
            })
    }

    /// The last `count` bytes of the file (fewer if it is shorter), counted in ``bytesRead``;
    /// the position libsndfile reads from is left where it was.
    func tail(_ count: Int) -> [UInt8] {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return [] }
        let size = Int(status.st_size)
        let offset = max(0, size - count)
        var bytes = [UInt8](repeating: 0, count: size - offset)
        let read = bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            var total = 0
            while total < buffer.count {
                let result = pread(
                    descriptor, base + total, buffer.count - total, off_t(offset + total))
                if result < 0, errno == EINTR { continue }
                guard result > 0 else { break }
                total += result
            }
            return total
        }
        bytesRead += read
        return Array(bytes.prefix(read))
    }

    /// Reads up to `count` bytes, retrying short and interrupted reads; fewer only at the end of
    /// the file or on an I/O error (libsndfile then reports a short read).
    private func read(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        var total = 0
        while total < count {
            let result = Foundation.read(descriptor, buffer + total, count - total)
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { break }
            total += result
        }
        bytesRead += total
        return total
    }

    /// The source behind libsndfile's `user_data`: the pointer ``AudioFileReader`` passed to
    /// `sf_open_virtual`, unretained because the reader keeps the source alive.
    private static func source(_ user: UnsafeMutableRawPointer?) -> CountingFileSource? {
        user.map { Unmanaged<CountingFileSource>.fromOpaque($0).takeUnretainedValue() }
    }
}
