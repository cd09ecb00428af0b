import Foundation
import MusicSSLCore

/// Reads GiantSteps key detection as MARBLE v1's `tasks/GS/preprocess.py` (from jukemir) builds
/// it (probe-spec §2.3): train/valid songs from the GiantSteps-MTG key data set, test songs from
/// the GiantSteps key data set, every song cut into 30-s clips.
///
/// Layout under `root` (e.g. `/data/GS`); the two repository folders may carry a commit suffix
/// (`giantsteps-key-dataset-<sha>`) and are found by prefix:
/// ```
/// giantsteps-mtg-key-dataset[-<sha>]/annotations/annotations.txt        ID, MANUAL KEY, C, …
/// giantsteps-mtg-key-dataset[-<sha>]/annotations/beatport_metadata.txt  ID, ARTIST, …
/// giantsteps-key-dataset[-<sha>]/annotations/key/<ID>.LOFI.key          e.g. "C minor"
/// audio/<ID>.LOFI.mp3   (else <repository folder>/audio/<ID>.LOFI.mp3, where its script puts it)
/// ```
/// Train pool: rows with `C` = 2 and no `/` in `MANUAL KEY`. Valid: each of every metadata
/// row's comma-separated artists goes to `["train"] * 100 + ["valid"] * 16` indexed by the SHA-1
/// of `artist.lower()`, read as an integer, modulo 116; then twice, over all rows in file order,
/// every co-artist of a valid artist becomes valid (two hops). A song is valid when any of its
/// artists is (MARBLE asserts they agree). Clips start at 0, 30, 60 … s and the last partial clip is dropped;
/// lengths come from `AudioDecoder.info(of:)` (the decoded length, where MARBLE asks ffprobe).
/// Item ids are `<audio path relative to root>#<clip index>`, the group is the song id, and the
/// label indexes ``MusicalKey/marbleClasses`` (sharps read as MARBLE's flats).
public enum GiantStepsKeyLoader {
    /// Clip length and hop in seconds.
    public static let clipSeconds = 30.0

    /// The key task; `.singleLabel` over the 24 MARBLE keys, `.keyScore`.
    ///
    /// - Throws: ``DataSetError`` for a missing repository folder, annotation or audio file, a
    ///   malformed row or key (naming the line), or a song in two pools.
    public static func load(from root: URL) throws -> ProbeTask {
        let task = NamedTask.giantStepsKey
        let files = DataSetFiles(task: task.rawValue, root: root)
        let mtgKey = try files.folder(in: root, prefix: "giantsteps-mtg-key-dataset")
        let key = try files.folder(in: root, prefix: "giantsteps-key-dataset")
        var songs = try GiantStepsTrainPool.songs(in: mtgKey, files: files)
        songs += try testSongs(in: key, files: files)
        var seen: Set<String> = []
        var items: [TaskItem] = []
        for song in songs {
            guard seen.insert(song.id).inserted else {
                throw files.error(song.source, line: song.line, "song \(song.id) appears twice")
            }
            let audio = try files.audio(
                audioFile(id: song.id, root: root, repository: song.repository, files: files),
                namedBy: song.source, line: song.line)
            let info: AudioFileInfo
            do {
                info = try AudioDecoder.info(of: audio)
            } catch {
                throw files.error(audio, "cannot read its length: \(error)")
            }
            let clipCount = Int((info.durationSeconds / clipSeconds).rounded(.down))
            for clip in 0..<max(0, clipCount) {
                items.append(
                    TaskItem(
                        id: "\(files.id(of: audio))#\(clip)", url: audio,
                        region: AudioRegion(
                            startSeconds: Double(clip) * clipSeconds,
                            durationSeconds: clipSeconds),
                        split: song.split, label: .classIndex(song.keyClass), group: song.id))
            }
        }
        let classes = MusicalKey.marbleClasses.map(\.description)
        return task.task(kind: .singleLabel(classes: classes), items: items)
    }

    /// One song before clipping.
    struct Song {
        var id: String
        var split: DataSplit
        var keyClass: Int
        var repository: URL
        /// The annotation that named it, for messages.
        var source: URL
        var line: Int?
    }

    /// The test songs: one `<ID>.LOFI.key` file each.
    static func testSongs(in repository: URL, files: DataSetFiles) throws -> [Song] {
        let folder = repository.appendingPathComponent("annotations").appendingPathComponent("key")
        guard files.isFolder(folder) else {
            throw files.error(folder, "missing, expected GiantSteps key's <ID>.LOFI.key files")
        }
        let names = try files.contents(of: folder)
        return try names.filter { $0.hasSuffix(".LOFI.key") }.sorted().map { name in
            let url = folder.appendingPathComponent(name)
            let stem = name.dropLast(".LOFI.key".count)
            guard let number = Int(stem) else {
                throw files.error(url, "expected a file name <integer ID>.LOFI.key")
            }
            let id = String(number)
            let text = try files.text(of: url, expected: "a key such as 'C minor'")
            let keyClass = try keyClass(
                text, isAnnotationFile: true, source: url, line: nil, files: files)
            return Song(
                id: id, split: .test, keyClass: keyClass, repository: repository, source: url)
        }
    }

    /// The MARBLE class of a key text.
    static func keyClass(
        _ text: String, isAnnotationFile: Bool, source: URL, line: Int?, files: DataSetFiles
    ) throws -> Int {
        let key = try? (isAnnotationFile ? MusicalKey(annotation: text) : MusicalKey(parsing: text))
        guard let index = key?.marbleClassIndex else {
            throw files.error(
                source, line: line, "'\(text)' is not a major or minor key such as 'Eb minor'")
        }
        return index
    }

    /// `audio/<ID>.LOFI.mp3` under `root`, else under the song's repository folder.
    static func audioFile(id: String, root: URL, repository: URL, files: DataSetFiles) -> URL {
        let name = "\(id).LOFI.mp3"
        let shared = root.appendingPathComponent("audio").appendingPathComponent(name)
        let own = repository.appendingPathComponent("audio").appendingPathComponent(name)
        return files.isFile(shared) || !files.isFile(own) ? shared : own
    }
}
