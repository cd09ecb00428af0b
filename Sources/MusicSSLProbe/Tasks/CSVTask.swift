import Foundation

/// A probing task from a user's own labelled audio, described by CSV manifests (RFC 4180:
/// comma-separated, fields optionally double-quoted with `""` for a quote, LF or CRLF line ends,
/// a UTF-8 byte-order mark ignored).
///
/// ```text
/// path,label,split
/// audio/take1.wav,happy,train
/// "audio/take, two.wav",sad,valid
/// ```
/// Columns: `path` (required) — relative to `audioRoot` when given, else to the manifest's own
/// folder; absolute paths and `..` are refused, and the normalised path is the item id — plus
/// the target's columns (``CSVTarget``): `label`, `labels` (`a;b;c`), `key` (`F# minor`: the
/// 24 MARBLE keys, scored with the weighted MIREX key score, every item its own song), numeric
/// columns, or `beat_times` (`0.51 1.02 1.55`). The split is a `split` column (`train`, `valid`
/// or `validation`, `test`, any case) in ``load(manifest:name:target:audioRoot:)``, or the file
/// in ``load(train:valid:test:name:target:audioRoot:)`` (where a `split` column is ignored;
/// without `audioRoot` each file's paths are relative to its own folder, and ids must stay
/// distinct). Without a target the header decides: a `label` column, else `labels`, else `key`,
/// else `beat_times`, else every column besides `path` and `split` whose values all parse as
/// finite numbers (regression, in header order). Every task gets the
/// ``ProbeSchedule/standard`` schedule and a 30-s window.
public enum CSVTask {
    /// The task of one manifest with a `split` column.
    ///
    /// - Throws: ``DataSetError`` naming the manifest and line of a malformed row, a missing
    ///   column, an unknown split, a bad value, or a missing audio file.
    public static func load(
        manifest: URL, name: String, target: CSVTarget? = nil, audioRoot: URL? = nil
    ) throws -> ProbeTask {
        let files = DataSetFiles(
            task: name, root: audioRoot ?? manifest.deletingLastPathComponent())
        let table = try CSVManifest(manifest, files: files)
        guard table.header.contains("split") else {
            throw files.error(
                manifest, line: 1,
                "expected a 'split' column (train, valid or test), or use one manifest per split")
        }
        let rows = try table.rows.map { row in
            (row, try split(of: row, manifest: manifest, files: files))
        }
        return try task(
            name: name, target: target, manifests: [(table, rows)], audioRoot: audioRoot)
    }

    /// The task of three manifests, one per split, with the same columns.
    ///
    /// - Throws: ``DataSetError`` as ``load(manifest:name:target:audioRoot:)``.
    public static func load(
        train: URL, valid: URL, test: URL, name: String, target: CSVTarget? = nil,
        audioRoot: URL? = nil
    ) throws -> ProbeTask {
        let manifests = try [(train, DataSplit.train), (valid, .valid), (test, .test)].map {
            url, split in
            let files = DataSetFiles(task: name, root: audioRoot ?? url.deletingLastPathComponent())
            let table = try CSVManifest(url, files: files)
            return (table, table.rows.map { ($0, split) })
        }
        return try task(name: name, target: target, manifests: manifests, audioRoot: audioRoot)
    }

    /// The split named in a row's `split` column.
    static func split(
        of row: CSVManifest.Row, manifest: URL, files: DataSetFiles
    ) throws -> DataSplit {
        switch row["split"].lowercased() {
        case "train": return .train
        case "valid", "validation": return .valid
        case "test": return .test
        default:
            throw files.error(
                manifest, line: row.line,
                "split '\(row["split"])' is not train, valid, validation or test")
        }
    }

    /// Items, labels and kind from parsed manifests.
    static func task(
        name: String, target: CSVTarget?,
        manifests: [(CSVManifest, [(CSVManifest.Row, DataSplit)])], audioRoot: URL?
    ) throws -> ProbeTask {
        let filesOf = { (table: CSVManifest) in
            DataSetFiles(task: name, root: audioRoot ?? table.url.deletingLastPathComponent())
        }
        let first = manifests[0].0
        let resolved =
            target
            ?? CSVTarget.inferred(
                header: first.header, rows: manifests.flatMap { $0.1.map { $0.0.values } })
        guard let resolved else {
            throw filesOf(first).error(
                first.url, line: 1,
                "cannot tell the target: expected a 'label', 'labels', 'key', 'beat_times' or "
                    + "numeric column besides 'path'")
        }
        if case .values(let columns) = resolved, columns.isEmpty {
            throw filesOf(first).error(
                first.url, line: 1, "a regression target needs at least one numeric column")
        }
        for (table, _) in manifests {
            let missing = (["path"] + resolved.columns).filter { !table.header.contains($0) }
            guard missing.isEmpty else {
                throw filesOf(table).error(
                    table.url, line: 1, "missing the column(s) \(missing.joined(separator: ", "))")
            }
        }
        let names = try CSVLabels.names(
            for: resolved,
            rows: manifests.flatMap { table, rows in
                rows.map { (row: $0.0, source: table.url) }
            }, files: filesOf(first))
        var seen: Set<String> = []
        var items: [TaskItem] = []
        for (table, rows) in manifests {
            let files = filesOf(table)
            for (row, split) in rows {
                let path = try files.resolve(
                    row["path"], in: files.root, source: table.url, line: row.line)
                let audio = try files.audio(path, namedBy: table.url, line: row.line)
                let id = files.id(of: audio)
                guard seen.insert(id).inserted else {
                    throw files.error(table.url, line: row.line, "'\(id)' appears twice")
                }
                let label = try CSVLabels.label(
                    of: row, target: resolved, names: names, source: table.url, files: files)
                items.append(TaskItem(id: id, url: audio, split: split, label: label))
            }
        }
        return ProbeTask(
            name: name, kind: CSVLabels.kind(of: resolved, names: names), metric: resolved.metric,
            items: items.sorted { $0.id < $1.id })
    }
}
