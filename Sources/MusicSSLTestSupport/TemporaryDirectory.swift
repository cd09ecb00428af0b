import Foundation

/// A fresh, uniquely named directory under the system temporary directory, removed with its
/// contents when this object is released.
///
/// ```swift
/// let directory = try TemporaryDirectory()
/// let url = directory.url.appendingPathComponent("model.safetensors")
/// ```
public final class TemporaryDirectory {
    /// The directory's location.
    public let url: URL

    /// Creates the directory.
    ///
    /// - Throws: The file manager's error when it cannot be created.
    public init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("musicssl-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    }

    /// The location of `name` inside the directory.
    public func file(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }

    /// Names of the entries in the directory, hidden ones included, sorted.
    public func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
