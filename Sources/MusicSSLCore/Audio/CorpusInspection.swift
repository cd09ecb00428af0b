import Foundation

/// Walks a corpus folder collecting the audio files by extension.
struct FolderListing {
    /// Lower-case extensions to pick up.
    let extensions: Set<String>
    /// Audio files found: path relative to the root, and location.
    private(set) var files: [(path: String, url: URL)] = []
    /// Subfolders that could not be read.
    private(set) var unreadableFolders: [CorpusScanSummary.SkippedFile] = []

    init(extensions: Set<String>) {
        self.extensions = extensions
    }

    /// Adds the audio files in `folder` and, recursively, its subfolders.
    ///
    /// - Throws: ``CorpusError`` only when the root itself (`relativePath` empty) is unreadable.
    mutating func walk(_ folder: URL, relativePath: String) throws {
        let keys: [URLResourceKey] = [.isDirectoryKey, .isRegularFileKey, .isSymbolicLinkKey]
        let children: [URL]
        do {
            children = try FileManager.default.contentsOfDirectory(
                at: folder, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles])
        } catch {
            guard !relativePath.isEmpty else {
                throw CorpusError(path: folder.path, .unreadable(error.localizedDescription))
            }
            let reason = "unreadable folder: \(error.localizedDescription)"
            unreadableFolders.append(.init(path: relativePath + "/", reason: reason))
            return
        }
        for child in children {
            let name = child.lastPathComponent
            let path = relativePath.isEmpty ? name : relativePath + "/" + name
            let values = try? child.resourceValues(forKeys: Set(keys))
            if values?.isSymbolicLink == true {
                // Links to files count; links to folders are not followed (no cycles).
                let target = child.resolvingSymlinksInPath()
                let isFile =
                    (try? target.resourceValues(forKeys: [.isRegularFileKey]))?
                    .isRegularFile == true
                if isFile, hasAudioExtension(name) {
                    files.append((path, child))
                }
            } else if values?.isDirectory == true {
                try walk(child, relativePath: path)
            } else if hasAudioExtension(name) {
                files.append((path, child))
            }
        }
    }

    private func hasAudioExtension(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return extensions.contains(name[name.index(after: dot)...].lowercased())
    }
}

/// Looks each listed file up in the previous duration index, opening it only when it is new or
/// its size or modification time changed, and builds the index for the next scan.
struct CorpusInspection {
    /// Either a usable file or the reason it cannot be used.
    enum Outcome {
        case success(AudioCorpus.File)
        case failure(String)
    }

    private let previous: DurationIndex
    /// The records of the files listed this time.
    private(set) var index: DurationIndex
    /// Files opened.
    private(set) var inspectedCount = 0
    /// Files taken from the previous index.
    private(set) var reusedCount = 0

    init(previous: DurationIndex) {
        self.previous = previous
        index = DurationIndex(root: previous.root, files: [:])
    }

    /// What the file at `url`, listed as `path`, holds; `inspect` reads its header if needed.
    mutating func outcome(
        path: String, url: URL, inspect: (URL) throws -> AudioFileInfo
    )
        -> Outcome
    {
        let attributes: [FileAttributeKey: Any]
        do {
            // The target's size and time, not a symbolic link's own: editing the target must
            // invalidate the record.
            attributes = try FileManager.default.attributesOfItem(
                atPath: url.resolvingSymlinksInPath().path)
        } catch {
            return .failure(
                FileManager.default.fileExists(atPath: url.path)
                    ? "unreadable: \(error.localizedDescription)" : "no such file")
        }
        let byteCount = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let modificationTime =
            (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? .nan
        let record: DurationIndex.Record
        if let cached = index.files[path] ?? previous.files[path],
            cached.byteCount == byteCount, cached.modificationTime == modificationTime
        {
            record = cached
            reusedCount += 1
        } else {
            record = Self.inspected(
                url, byteCount: byteCount, modificationTime: modificationTime, inspect: inspect)
            inspectedCount += 1
        }
        index.files[path] = record
        guard let info = record.info else {
            return .failure(record.failure ?? "unknown failure")
        }
        guard info.frameCount > 0, info.sampleRate > 0 else {
            return .failure("holds no audio frames")
        }
        return .success(
            AudioCorpus.File(
                path: path, url: url, format: info.format, sampleRate: info.sampleRate,
                channelCount: info.channelCount, frameCount: info.frameCount))
    }

    private static func inspected(
        _ url: URL, byteCount: Int, modificationTime: Double,
        inspect: (URL) throws -> AudioFileInfo
    ) -> DurationIndex.Record {
        var record = DurationIndex.Record(byteCount: byteCount, modificationTime: modificationTime)
        do {
            let info = try inspect(url)
            record.info = DurationIndex.Info(
                format: info.format, sampleRate: info.sampleRate,
                channelCount: info.channelCount, frameCount: info.frameCount)
        } catch let error as AudioError {
            // The path is already in the summary line; keep the reason alone.
            record.failure = error.reason.description
        } catch {
            record.failure = "\(error)"
        }
        return record
    }
}
