import Foundation

/// Reads MagnaTagATune top-50 tagging from `annotations_final.csv` as MARBLE v1's
/// `tasks/MTT/preprocess.py` does (probe-spec §2.3; jukemir splits identically).
///
/// Layout under `root` (e.g. `/data/MTT`):
/// ```
/// annotations_final.csv     tab-separated, fields optionally double-quoted:
///                           clip_id, 188 tags ("0"/"1"), mp3_path (e.g. f/…-30-59.mp3)
/// mp3/<mp3_path>            the audio (or <mp3_path> directly under root)
/// ```
/// Tags are the ``TaskLoadingOptions/magnaTagATuneTagCount`` most frequent over **all** rows
/// (quirk Q7), most frequent first; ties go to the later column, as reversing numpy's ascending
/// `argsort` does. Split by the hex folder, the first character of `mp3_path`: `0`–`b` train,
/// `c` valid, `d`–`f` test. Rows without any kept tag stay (MARBLE and jukemir do not filter).
/// Item ids are paths relative to `root`; labels are `.tags` of ascending tag indices.
public enum MagnaTagATuneLoader {
    /// Clip ids whose MP3s are corrupt (jukemir); see
    /// ``TaskLoadingOptions/excludesCorruptMagnaTagATuneClips``.
    public static let corruptClipIDs: Set<String> = ["35644", "55753", "57881"]

    /// The tagging task; `.multiLabel`, `.multilabelRanking`.
    ///
    /// - Throws: ``DataSetError`` for a missing or malformed table (naming the line), a row of
    ///   the wrong width, a tag value other than 0/1, an `mp3_path` outside the 16 hex folders,
    ///   or a missing audio file.
    public static func load(
        from root: URL, options: TaskLoadingOptions = .default
    ) throws -> ProbeTask {
        let task = NamedTask.magnaTagATune
        let files = DataSetFiles(task: task.rawValue, root: root)
        let csv = root.appendingPathComponent("annotations_final.csv")
        let table = try files.table(
            of: csv, delimiter: .tab,
            expected: "MagnaTagATune's tab-separated table: clip_id, tags…, mp3_path")
        guard let header = table.rows.first, header.fields.count >= 3,
            header.fields.first == "clip_id", header.fields.last == "mp3_path"
        else {
            throw files.error(
                csv, line: 1, "expected a header clip_id, <tags>…, mp3_path")
        }
        let tagNames = Array(header.fields.dropFirst().dropLast())
        let rows = try table.rows.dropFirst().map { row in
            try parse(row, tagCount: tagNames.count, csv: csv, files: files)
        }
        let kept = topTags(rows: rows, count: options.magnaTagATuneTagCount)
        let audioFolder = root.appendingPathComponent("mp3")
        let items = try rows.compactMap { row -> TaskItem? in
            if options.excludesCorruptMagnaTagATuneClips, corruptClipIDs.contains(row.clipID) {
                return nil
            }
            let tags = kept.enumerated().compactMap { position, column in
                row.tags[column] ? position : nil
            }
            let inFolder = try files.resolve(row.path, in: audioFolder, source: csv, line: row.line)
            let direct = try files.resolve(row.path, in: root, source: csv, line: row.line)
            let audio = try files.audio(
                files.isFile(inFolder) ? inFolder : direct, namedBy: csv, line: row.line)
            return TaskItem(
                id: files.id(of: audio), url: audio, split: row.split, label: .tags(tags))
        }
        return task.task(kind: .multiLabel(tags: kept.map { tagNames[$0] }), items: items)
    }

    /// One clip row.
    struct Row {
        var clipID: String
        var tags: [Bool]
        var path: String
        var split: DataSplit
        var line: Int
    }

    static func parse(
        _ row: DelimitedText.Row, tagCount: Int, csv: URL, files: DataSetFiles
    ) throws -> Row {
        guard row.fields.count == tagCount + 2, let path = row.fields.last else {
            throw files.error(
                csv, line: row.line,
                "expected \(tagCount + 2) tab-separated fields, found \(row.fields.count)")
        }
        let tags = try row.fields.dropFirst().dropLast().map { value in
            switch value.trimmingCharacters(in: .whitespaces) {
            case "0": return false
            case "1": return true
            default:
                throw files.error(csv, line: row.line, "tag value '\(value)' is not 0 or 1")
            }
        }
        let split: DataSplit
        switch path.first.flatMap({ $0.hexDigitValue }) {
        case .some(0...11): split = .train
        case .some(12): split = .valid
        case .some(13...15): split = .test
        default:
            throw files.error(
                csv, line: row.line, "mp3_path '\(path)' does not start with a hex folder 0-f")
        }
        return Row(clipID: row.fields[0], tags: tags, path: path, split: split, line: row.line)
    }

    /// Column indices of the `count` most frequent tags over all rows, most frequent first.
    static func topTags(rows: [Row], count: Int) -> [Int] {
        let tagCount = rows.first?.tags.count ?? 0
        var counts = [Int](repeating: 0, count: tagCount)
        for row in rows {
            for (column, isTagged) in row.tags.enumerated() where isTagged { counts[column] += 1 }
        }
        let ranked = counts.indices.sorted { left, right in
            counts[left] != counts[right] ? counts[left] > counts[right] : left > right
        }
        return Array(ranked.prefix(max(0, count)))
    }
}
