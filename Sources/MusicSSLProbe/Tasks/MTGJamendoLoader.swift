import Foundation

/// Reads the four MTG-Jamendo auto-tagging tasks from the data set's split files, as MARBLE
/// v1's `tasks/MTG/MTG{Genre,Instrument,Mood,Top50}_dataset.py` do (probe-spec §2.3).
///
/// Layout under `root` (e.g. `/data/MTG`; `mtg-jamendo-dataset/` may also be `root` itself):
/// ```
/// mtg-jamendo-dataset/data/splits/split-<n>/autotagging_<subset>-{train,validation,test}.tsv
///     header TRACK_ID ARTIST_ID ALBUM_ID PATH DURATION TAGS, tab-separated, the tags are the
///     trailing fields: track_0000948 artist_000087 album_000149 48/948.mp3 212.7 mood/theme---…
/// audio-low/<NN>/<id>.low.mp3   MARBLE's source (PATH 48/948.mp3 → audio-low/48/948.low.mp3)
/// audio/<NN>/<id>.mp3           the full-quality copy, read when there is no audio-low/
/// ```
/// `<subset>` is `instrument`, `moodtheme`, `genre` or `top50tags`; `<n>` is
/// ``TaskLoadingOptions/mtgSplitNumber``. Tags keep their prefix (`genre---rock`) and are ordered
/// by ``TaskLoadingOptions/mtgClassOrder``. Item ids are audio paths relative to `root`.
public enum MTGJamendoLoader {
    /// Reads `task`, one of ``NamedTask/mtgInstrument``, ``NamedTask/mtgMoodTheme``,
    /// ``NamedTask/mtgGenre`` and ``NamedTask/mtgTop50``; `.multiLabel`, `.multilabelRanking`.
    ///
    /// - Throws: ``DataSetError`` for another task, a missing split file or audio folder, a
    ///   malformed row (naming the line), a track listed twice, or a missing audio file.
    public static func load(
        _ task: NamedTask, from root: URL, options: TaskLoadingOptions = .default
    ) throws -> ProbeTask {
        let files = DataSetFiles(task: task.rawValue, root: root)
        guard let subset = subsetName(of: task) else {
            throw files.error(root, "\(task.rawValue) is not an MTG-Jamendo task")
        }
        let splitFolder = try splitsFolder(root: root, options: options, files: files)
        let audio = try audioLayout(root: root, files: files)
        let fileSplits: [(name: String, split: DataSplit)] = [
            ("train", .train), ("validation", .valid), ("test", .test),
        ]
        let rows = try fileSplits.flatMap { name, split in
            try self.rows(
                in: splitFolder.appendingPathComponent("autotagging_\(subset)-\(name).tsv"),
                split: split, files: files)
        }
        let classes = tagOrder(rows.map(\.tags), order: options.mtgClassOrder)
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var seen: Set<String> = []
        let items = try rows.map { row in
            let relative =
                audio.isLowQuality
                ? row.path.replacingOccurrences(of: ".mp3", with: ".low.mp3") : row.path
            let url = try files.audio(
                files.resolve(relative, in: audio.folder, source: row.source, line: row.line),
                namedBy: row.source, line: row.line)
            guard seen.insert(row.path).inserted else {
                throw files.error(row.source, line: row.line, "track \(row.path) is listed twice")
            }
            let tags = Set(row.tags.compactMap { classIndex[$0] }).sorted()
            return TaskItem(id: files.id(of: url), url: url, split: row.split, label: .tags(tags))
        }
        return task.task(kind: .multiLabel(tags: classes), items: items)
    }

    /// One track of a split file.
    struct Row {
        /// `PATH`, e.g. `48/948.mp3`.
        var path: String
        var tags: [String]
        var split: DataSplit
        var source: URL
        var line: Int
    }

    /// The tracks of one split file: header first, then `PATH` (the fourth field) and the
    /// trimmed, non-empty tags from the sixth field on.
    static func rows(in source: URL, split: DataSplit, files: DataSetFiles) throws -> [Row] {
        let lines = try files.lines(
            of: source,
            expected: "a tab-separated list: TRACK_ID ARTIST_ID ALBUM_ID PATH DURATION TAGS")
        guard let header = lines.first, header.text.hasPrefix("TRACK_ID") else {
            throw files.error(
                source, line: 1, "expected the header TRACK_ID, ARTIST_ID, …, DURATION, TAGS")
        }
        return try lines.dropFirst().map { text, line in
            let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
            let tags = fields.dropFirst(5).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            guard fields.count >= 6, !tags.isEmpty else {
                throw files.error(
                    source, line: line,
                    "expected TRACK_ID, ARTIST_ID, ALBUM_ID, PATH, DURATION and at least one tag")
            }
            return Row(
                path: String(fields[3]), tags: tags, split: split, source: source, line: line)
        }
    }

    /// The subset in the split file names, or nil for a task outside MTG-Jamendo.
    static func subsetName(of task: NamedTask) -> String? {
        switch task {
        case .mtgInstrument: "instrument"
        case .mtgMoodTheme: "moodtheme"
        case .mtgGenre: "genre"
        case .mtgTop50: "top50tags"
        default: nil
        }
    }

    /// `data/splits/split-<n>` under `mtg-jamendo-dataset/` or under `root`.
    static func splitsFolder(
        root: URL, options: TaskLoadingOptions, files: DataSetFiles
    ) throws -> URL {
        let relative = "data/splits/split-\(options.mtgSplitNumber)"
        let candidates = [
            root.appendingPathComponent("mtg-jamendo-dataset").appendingPathComponent(relative),
            root.appendingPathComponent(relative),
        ]
        guard let folder = candidates.first(where: files.isFolder) else {
            throw files.error(
                candidates[0],
                "missing, expected MTG-Jamendo's split files (mtg-jamendo-dataset "
                    + "repository) for split \(options.mtgSplitNumber)")
        }
        return folder
    }

    /// `audio-low/` when present, else `audio/`.
    static func audioLayout(
        root: URL, files: DataSetFiles
    ) throws -> (folder: URL, isLowQuality: Bool) {
        let low = root.appendingPathComponent("audio-low")
        if files.isFolder(low) { return (low, true) }
        let full = root.appendingPathComponent("audio")
        if files.isFolder(full) { return (full, false) }
        throw files.error(
            root, "expected the audio under audio-low/<NN>/<id>.low.mp3 or audio/<NN>/<id>.mp3")
    }

    /// The tags in `order`.
    static func tagOrder(_ tagLists: [[String]], order: MTGClassOrder) -> [String] {
        var seen: Set<String> = []
        let firstAppearance = tagLists.joined().filter { seen.insert($0).inserted }
        switch order {
        case .firstAppearance: return firstAppearance
        case .sorted: return firstAppearance.sorted()
        }
    }
}
