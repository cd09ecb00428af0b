import Foundation

/// The cached scan of a corpus, stored as JSON at a ``DurationIndexLocation``: for each file,
/// keyed by its path as listed, the size and modification time it had when inspected and what
/// the inspection found.
struct DurationIndex: Codable, Equatable {
    /// Bumped whenever the fields change; an index of another version is ignored and rebuilt.
    static let currentVersion = 1

    /// What inspecting one file found, valid while its size and modification time hold.
    struct Record: Codable, Equatable {
        /// Bytes on disk when inspected.
        var byteCount: Int
        /// Modification time when inspected, in seconds since 1970.
        var modificationTime: Double
        /// The header facts of a file that opened.
        var info: Info?
        /// Why the file failed to open, for one that did not.
        var failure: String?
    }

    /// The header facts of a file that opened.
    struct Info: Codable, Equatable {
        var format: String
        var sampleRate: Int
        var channelCount: Int
        var frameCount: Int
    }

    /// The format version.
    var version = Self.currentVersion
    /// The corpus root's path, to catch a hash collision between roots in a cache folder.
    var root: String
    /// Records keyed by the file's path as listed (relative to the root for a folder scan).
    var files: [String: Record]

    /// The first readable index among `candidates` that belongs to `root` and where it was
    /// found, or an empty index and nil. A missing, unreadable, malformed or foreign index is not
    /// an error: the scan rebuilds it.
    static func load(from candidates: [URL], root: String) -> (index: DurationIndex, url: URL?) {
        for url in candidates {
            guard let data = try? Data(contentsOf: url),
                let index = try? JSONDecoder().decode(DurationIndex.self, from: data),
                index.version == currentVersion, index.root == root
            else { continue }
            return (index, url)
        }
        return (DurationIndex(root: root, files: [:]), nil)
    }

    /// Writes the index to the first of `candidates` that accepts it, atomically (a temporary
    /// sibling renamed over the old index), creating a cache folder if needed.
    ///
    /// - Returns: Where it was written, or nil and the last failure's reason.
    func save(to candidates: [URL]) -> (url: URL?, problem: String?) {
        guard !candidates.isEmpty else { return (nil, nil) }
        let encoder = JSONEncoder()
        // Sorted keys keep the file stable between runs, so unchanged corpora diff cleanly.
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            return (nil, "could not encode the index: \(error)")
        }
        var problem: String?
        for url in candidates {
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url, options: .atomic)
                return (url, nil)
            } catch {
                problem = "\(url.path): \(error.localizedDescription)"
            }
        }
        return (nil, problem)
    }
}
