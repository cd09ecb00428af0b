import Foundation

/// Reads GTZAN genre and GTZAN-Rhythm beat tracking from the data set's folder (probe-spec §2.3,
/// §3), with MARBLE v1's fault-filtered split (`coreyker/dnn-mgr gtzan/*_filtered.txt`).
///
/// Layout under `root` (e.g. `/data/GTZAN`):
/// ```
/// genres/<genre>/<genre>.<NNNNN>.wav        (or the Kaggle copy's Data/genres_original/…;
///                                            the original tarball's .au is taken when no .wav)
/// train_filtered.txt valid_filtered.txt test_filtered.txt   (lines like blues/blues.00029.wav)
/// GTZAN-Rhythm_v2_ismir2015_lbd/jams/<genre>.<NNNNN>.wav.jams   (beat tracking only)
/// ```
/// Item ids are paths relative to `root` (`genres/blues/blues.00029.wav`). The genre label is
/// the first component of the listed path, indexed in ``genres`` order.
public enum GTZANLoader {
    /// MARBLE's genre classes in label-index order (`tasks/GTZAN/GTZAN_dataset.py`).
    public static let genres = [
        "blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae",
        "rock",
    ]

    /// The training-list entry quirk Q12 removes.
    static let corruptKaggleFile = "jazz/jazz.00054.wav"

    /// Genre classification over ``genres``; `.accuracy`.
    ///
    /// - Throws: ``DataSetError`` for a missing split list or audio file, or a listed path
    ///   whose first component is not a genre.
    public static func loadGenre(
        from root: URL, options: TaskLoadingOptions = .default
    ) throws -> ProbeTask {
        let task = NamedTask.gtzanGenre
        let entries = try listedEntries(root: root, task: task, options: options)
        let items = entries.map { entry in
            TaskItem(
                id: entry.id, url: entry.audio, split: entry.split,
                label: .classIndex(entry.genreIndex))
        }
        return task.task(kind: .singleLabel(classes: genres), items: items)
    }

    /// Beat tracking over the same items, labelled with GTZAN-Rhythm v2's beat times (the JAMS
    /// annotation in namespace `beat` whose `sandbox.annotation_type` is `beat`); `.beatFMeasure`.
    ///
    /// - Throws: ``DataSetError`` as ``loadGenre(from:options:)``, and for a missing or
    ///   malformed JAMS file.
    public static func loadRhythm(
        from root: URL, options: TaskLoadingOptions = .default
    ) throws -> ProbeTask {
        let task = NamedTask.gtzanRhythm
        let files = DataSetFiles(task: task.rawValue, root: root)
        let jamsFolder = root.appendingPathComponent("GTZAN-Rhythm_v2_ismir2015_lbd")
            .appendingPathComponent("jams")
        let entries = try listedEntries(root: root, task: task, options: options)
        let items = try entries.map { entry in
            let jams = jamsFolder.appendingPathComponent(entry.listedName + ".jams")
            let beats = try JAMSBeats.beatTimes(in: jams, files: files)
            return TaskItem(
                id: entry.id, url: entry.audio, split: entry.split, label: .beats(beats))
        }
        return task.task(kind: .beatTracking, items: items)
    }

    /// One line of a split list, resolved.
    struct Entry {
        var id: String
        var audio: URL
        var split: DataSplit
        var genreIndex: Int
        /// The listed file name, e.g. `blues.00029.wav`.
        var listedName: String
    }

    /// The entries of the three split lists.
    static func listedEntries(
        root: URL, task: NamedTask, options: TaskLoadingOptions
    ) throws -> [Entry] {
        let files = DataSetFiles(task: task.rawValue, root: root)
        let audioFolder = try genresFolder(root: root, files: files)
        var entries: [Entry] = []
        var seen: Set<String> = []
        for split in DataSplit.allCases {
            let list = root.appendingPathComponent("\(split.rawValue)_filtered.txt")
            let lines = try files.lines(
                of: list, expected: "a list of <genre>/<genre>.<NNNNN>.wav paths (dnn-mgr)")
            for (path, line) in lines {
                if split == .train, options.excludesGTZANJazz00054, path == corruptKaggleFile {
                    continue
                }
                let listed = try files.resolve(path, in: audioFolder, source: list, line: line)
                guard let genre = path.split(separator: "/").first,
                    let genreIndex = genres.firstIndex(of: String(genre))
                else {
                    throw files.error(
                        list, line: line,
                        "'\(path)' does not start with one of the genres \(genres.joined(separator: ", "))"
                    )
                }
                guard seen.insert(path).inserted else {
                    throw files.error(list, line: line, "'\(path)' is listed twice")
                }
                let audio = try files.audio(
                    audioFile(for: listed, files: files), namedBy: list, line: line)
                entries.append(
                    Entry(
                        id: files.id(of: audio), audio: audio, split: split,
                        genreIndex: genreIndex, listedName: listed.lastPathComponent))
            }
        }
        return entries
    }

    /// `genres/`, or the Kaggle copy's `Data/genres_original/`.
    static func genresFolder(root: URL, files: DataSetFiles) throws -> URL {
        let candidates = [
            root.appendingPathComponent("genres"),
            root.appendingPathComponent("Data").appendingPathComponent("genres_original"),
        ]
        guard let folder = candidates.first(where: files.isFolder) else {
            throw files.error(
                root, "expected the audio under genres/<genre>/ or Data/genres_original/<genre>/")
        }
        return folder
    }

    /// The listed `.wav`, or the original tarball's `.au` beside it when only that exists.
    static func audioFile(for listed: URL, files: DataSetFiles) -> URL {
        let au = listed.deletingPathExtension().appendingPathExtension("au")
        return !files.isFile(listed) && files.isFile(au) ? au : listed
    }
}
