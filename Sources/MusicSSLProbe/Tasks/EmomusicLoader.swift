import Foundation

/// Reads Emomusic (1000 Songs for Emotional Analysis of Music) static arousal/valence
/// regression as MARBLE v1's `tasks/EMO/preprocess.py` (from jukemir) builds it
/// (probe-spec §2.1, §2.3).
///
/// Layout under `root` (e.g. `/data/EMO`), the annotation archive unpacked flat:
/// ```
/// songs_info.csv          song_id, Artist, …, Mediaeval 2013 set (development | evaluation)
/// static_annotations.csv  song_id, mean_arousal, std_arousal, mean_valence, std_valence
/// clips_45seconds/<song_id>.mp3
/// ```
/// Headers and values are trimmed (the files carry stray spaces). `evaluation` songs are the
/// test split; each development song goes to `["train"] * 8 + ["valid"] * 2` indexed by the
/// SHA-1 of its artist (lower-cased, ASCII letters and whitespace kept, whitespace runs joined by
/// one space), read as an integer, modulo 10. Targets are `[arousal, valence]`, z-scored with the
/// mean and population standard deviation of all development songs, taken before the re-split.
public enum EmomusicLoader {
    /// The regression outputs in column order.
    public static let outputs = ["arousal", "valence"]

    /// The regression task; `.regression(outputs: ["arousal", "valence"])`, `.r2`.
    ///
    /// - Throws: ``DataSetError`` for a missing or malformed CSV (naming the line), a song in
    ///   one CSV but not the other, a non-numeric annotation, development annotations with zero
    ///   spread, or a missing audio file.
    public static func load(from root: URL) throws -> ProbeTask {
        let task = NamedTask.emomusic
        let files = DataSetFiles(task: task.rawValue, root: root)
        let infoFile = root.appendingPathComponent("songs_info.csv")
        let info = try records(
            infoFile, columns: ["song_id", "Artist", "Mediaeval 2013 set"], files: files)
        let annotationFile = root.appendingPathComponent("static_annotations.csv")
        let targets = try self.targets(in: annotationFile, songs: info, files: files)
        let songs = try info.values.sorted { $0.songID < $1.songID }.map { record in
            guard let target = targets[record.songID] else {
                throw files.error(
                    infoFile, line: record.line,
                    "song \(record.songID) has no row in static_annotations.csv")
            }
            return Song(record: record, target: target, split: split(of: record))
        }
        // MARBLE standardises before re-splitting, so valid songs count towards the statistics.
        let development = songs.filter { $0.split != .test }.map(\.target)
        let standardization = try outputs.indices.map { column in
            try meanAndDeviation(
                development.map { $0[column] }, column: column, source: annotationFile,
                files: files)
        }
        let audioFolder = root.appendingPathComponent("clips_45seconds")
        let items = try songs.map { song in
            let audio = try files.audio(
                audioFolder.appendingPathComponent("\(song.record.songID).mp3"),
                namedBy: infoFile, line: song.record.line)
            let values = zip(song.target, standardization).map { ($0 - $1.mean) / $1.deviation }
            return TaskItem(
                id: files.id(of: audio), url: audio, split: song.split, label: .values(values))
        }
        return task.task(kind: .regression(outputs: outputs), items: items)
    }

    /// One song with its raw `[arousal, valence]` and its split.
    struct Song {
        var record: Record
        var target: [Double]
        var split: DataSplit
    }

    /// `evaluation` songs are test; development songs go by their artist's SHA-1.
    static func split(of record: Record) -> DataSplit {
        guard record.values["Mediaeval 2013 set"] != "evaluation" else { return .test }
        return ArtistHashSplit.split(
            of: ArtistHashSplit.emomusicArtistKey(record.values["Artist", default: ""]),
            trainCount: ArtistHashSplit.emomusic.trainCount,
            validCount: ArtistHashSplit.emomusic.validCount)
    }

    /// The raw `[mean_arousal, mean_valence]` of every song in `annotationFile`, each of which
    /// must have a row in `songs`.
    static func targets(
        in annotationFile: URL, songs: [Int: Record], files: DataSetFiles
    ) throws -> [Int: [Double]] {
        let annotations = try records(
            annotationFile, columns: ["song_id", "mean_arousal", "mean_valence"], files: files)
        var targets: [Int: [Double]] = [:]
        for record in annotations.values.sorted(by: { $0.songID < $1.songID }) {
            guard songs[record.songID] != nil else {
                throw files.error(
                    annotationFile, line: record.line,
                    "song \(record.songID) has no row in songs_info.csv")
            }
            targets[record.songID] = try outputs.map { output in
                let value = record.values["mean_\(output)", default: ""]
                guard let number = Double(value), number.isFinite else {
                    throw files.error(
                        annotationFile, line: record.line,
                        "mean_\(output) '\(value)' is not a number")
                }
                return number
            }
        }
        return targets
    }

    /// Mean and population standard deviation (numpy's `np.std`) of `values`.
    static func meanAndDeviation(
        _ values: [Double], column: Int, source: URL, files: DataSetFiles
    ) throws -> (mean: Double, deviation: Double) {
        let count = Double(max(1, values.count))
        let mean = values.reduce(0, +) / count
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / count
        guard variance > 0 else {
            throw files.error(
                source,
                "the development songs' mean_\(outputs[column]) values have no spread; "
                    + "cannot z-score")
        }
        return (mean, variance.squareRoot())
    }

    /// A row with its song id.
    struct Record {
        var songID: Int
        var values: [String: String]
        var line: Int
    }

    /// The rows of a comma-separated file with `columns`, by song id.
    static func records(_ url: URL, columns: [String], files: DataSetFiles) throws -> [Int: Record]
    {
        let table = try HeadedTable(url, delimiter: .comma, columns: columns, files: files)
        var records: [Int: Record] = [:]
        for record in table.records {
            guard let songID = Int(record["song_id"]), songID >= 0 else {
                throw files.error(
                    url, line: record.line, "song_id '\(record["song_id"])' is not an integer")
            }
            guard records[songID] == nil else {
                throw files.error(url, line: record.line, "song_id \(songID) appears twice")
            }
            records[songID] = Record(songID: songID, values: record.values, line: record.line)
        }
        return records
    }
}
