import Foundation

/// A fairseq-style audio manifest, as `examples/wav2vec/wav2vec_manifest.py` writes it: the root
/// folder on the first line, then one `relative/path<TAB>num_samples` line per file.
///
/// ```text
/// /data/music
/// rock/track01.flac	13230000
/// jazz/take2.wav	2646000
/// ```
///
/// A relative root is resolved against the manifest's own folder (fairseq resolves it against
/// the working directory; its script always writes an absolute one). A path is joined to the
/// root as Python's `os.path.join` does: an absolute path stands alone. `num_samples` is the
/// file's frame count at its native rate; ``AudioCorpus`` checks its form but takes lengths and
/// rates from the files' headers, which stay right when a file changes after the manifest.
public struct CorpusManifest: Sendable, Equatable {
    /// One manifest line after the root.
    public struct Entry: Sendable, Equatable {
        /// The path as written, usually relative to ``CorpusManifest/root``.
        public let path: String
        /// `num_samples`: frames at the file's native rate.
        public let sampleCount: Int
    }

    /// The folder the entries' paths are relative to.
    public let root: URL
    /// The entries in manifest order; a repeated path is kept, as fairseq keeps it.
    public let entries: [Entry]

    /// Reads and validates the manifest at `url`.
    ///
    /// - Throws: ``CorpusError`` naming the manifest: `.unreadable` when it cannot be read or is
    ///   not UTF-8, `.malformedManifest` with the 1-based line number of the first bad line.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CorpusError(path: url.path, .unreadable(error.localizedDescription))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CorpusError(path: url.path, .unreadable("not UTF-8 text"))
        }
        try self.init(parsing: text, manifestURL: url)
    }

    /// Parses manifest text; `manifestURL` names it in errors and anchors a relative root.
    ///
    /// - Throws: ``CorpusError/Reason/malformedManifest(line:_:)`` with the 1-based line number.
    public init(parsing text: String, manifestURL: URL) throws {
        // Lines are stripped of surrounding white space, as fairseq's `line.strip()` does. Swift
        // treats "\r\n" as one Character, hence the two separators.
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        // The newline that ends the last line leaves one empty string behind; nothing else may.
        if lines.count > 1, lines.last?.isEmpty == true {
            lines.removeLast()
        }
        let path = manifestURL.path
        guard let rootPath = lines.first, !rootPath.isEmpty else {
            throw CorpusError(path: path, .malformedManifest(line: 1, "expected the root folder"))
        }
        root =
            rootPath.hasPrefix("/")
            ? URL(fileURLWithPath: rootPath, isDirectory: true)
            : URL(
                fileURLWithPath: rootPath, isDirectory: true,
                relativeTo: manifestURL.deletingLastPathComponent()
            ).absoluteURL
        entries = try lines.dropFirst().enumerated().map { offset, line in
            try Self.entry(parsing: line, lineNumber: offset + 2, manifestPath: path)
        }
    }

    private static func entry(
        parsing line: String, lineNumber: Int, manifestPath: String
    )
        throws -> Entry
    {
        func malformed(_ reason: String) -> CorpusError {
            CorpusError(path: manifestPath, .malformedManifest(line: lineNumber, reason))
        }
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 2 else {
            let found =
                line.isEmpty
                ? "an empty line" : fields.count == 1 ? "no tab" : "\(fields.count) fields"
            throw malformed("expected 'relative/path<TAB>num_samples', found \(found)")
        }
        guard !fields[0].isEmpty else {
            throw malformed("the path is empty")
        }
        guard let sampleCount = Int(fields[1]), sampleCount >= 0 else {
            throw malformed("num_samples '\(fields[1])' is not a non-negative integer")
        }
        return Entry(path: String(fields[0]), sampleCount: sampleCount)
    }

    /// The location of `entry` (`os.path.join(root, path)`).
    public func url(of entry: Entry) -> URL {
        entry.path.hasPrefix("/")
            ? URL(fileURLWithPath: entry.path) : root.appendingPathComponent(entry.path)
    }
}
