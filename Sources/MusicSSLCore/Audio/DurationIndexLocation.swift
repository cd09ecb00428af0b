import Foundation

/// Where ``AudioCorpus`` keeps its duration index: each file's size, modification time and
/// header facts (rate, channels, frames) or the reason it failed to open, so that a second scan
/// opens only the files that changed.
public enum DurationIndexLocation: Sendable, Equatable {
    /// `.musicssl-index.json` in the corpus root; in `fallback` (a cache folder) when the root
    /// cannot be written, e.g. a read-only mount.
    case besideCorpus(fallback: URL)
    /// A file in this cache folder, named after the corpus root's path.
    case directory(URL)
    /// No index: every scan opens every file.
    case disabled

    /// The index's file name inside a corpus root.
    public static let fileName = ".musicssl-index.json"

    /// ``besideCorpus(fallback:)`` with ``defaultCacheDirectory`` as the fallback.
    public static var automatic: DurationIndexLocation {
        .besideCorpus(fallback: defaultCacheDirectory)
    }

    /// `$XDG_CACHE_HOME/musicssl`, or `~/.cache/musicssl` when that variable is unset.
    public static var defaultCacheDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return base.appendingPathComponent("musicssl", isDirectory: true)
    }

    /// The index files to try for the corpus at `root`, preferred first.
    func candidates(forRoot root: URL) -> [URL] {
        switch self {
        case .besideCorpus(let fallback):
            [root.appendingPathComponent(Self.fileName), Self.file(in: fallback, forRoot: root)]
        case .directory(let directory):
            [Self.file(in: directory, forRoot: root)]
        case .disabled:
            []
        }
    }

    /// The index file for the corpus at `root` inside the cache folder `directory`:
    /// `index-<name>-<hash>.json`, the root's last component for people and a stable 64-bit
    /// FNV-1a hash of its full path (Swift's `Hasher` is seeded per process) to tell apart roots
    /// with the same name.
    public static func file(in directory: URL, forRoot root: URL) -> URL {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in root.standardizedFileURL.path.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let name = root.lastPathComponent.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        let hex = String(hash, radix: 16)
        let padded = String(repeating: "0", count: 16 - hex.count) + hex
        return directory.appendingPathComponent("index-\(name)-\(padded).json")
    }
}
