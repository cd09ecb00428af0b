import Foundation

/// Label parsing for ``CSVTask``: class and tag vocabularies, and each row's ``TaskLabel``.
enum CSVLabels {
    /// The sorted class names (`label`) or tag names (`labels`) over every row; the column names
    /// for `values`; the 24 MARBLE key names for `key`; empty for beat times.
    static func names(
        for target: CSVTarget, rows: [(row: CSVManifest.Row, source: URL)], files: DataSetFiles
    ) throws -> [String] {
        switch target {
        case .label:
            return try Set(
                rows.map { row, source in
                    let name = row["label"]
                    guard !name.isEmpty else {
                        throw files.error(source, line: row.line, "empty 'label'")
                    }
                    return name
                }
            ).sorted()
        case .labels:
            return Set(rows.flatMap { tags(of: $0.row) }).sorted()
        case .values(let columns):
            return columns
        case .beatTimes:
            return []
        case .key:
            return MusicalKey.marbleClasses.map(\.description)
        }
    }

    /// The task kind.
    static func kind(of target: CSVTarget, names: [String]) -> TaskKind {
        switch target {
        case .label: .singleLabel(classes: names)
        case .labels: .multiLabel(tags: names)
        case .values: .regression(outputs: names)
        case .beatTimes: .beatTracking
        case .key: .singleLabel(classes: names)
        }
    }

    /// The `;`-separated, trimmed, non-empty tags of a row.
    static func tags(of row: CSVManifest.Row) -> [String] {
        row["labels"].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// A row's label.
    static func label(
        of row: CSVManifest.Row, target: CSVTarget, names: [String], source: URL,
        files: DataSetFiles
    ) throws -> TaskLabel {
        switch target {
        case .label:
            guard let index = names.firstIndex(of: row["label"]) else {
                throw files.error(source, line: row.line, "empty or unknown 'label'")
            }
            return .classIndex(index)
        case .labels:
            let indices = Set(tags(of: row).compactMap { names.firstIndex(of: $0) })
            return .tags(indices.sorted())
        case .values(let columns):
            return .values(
                try columns.map { column in
                    guard let value = Double(row[column]), value.isFinite else {
                        throw files.error(
                            source, line: row.line,
                            "'\(column)' value '\(row[column])' is not a number")
                    }
                    return value
                })
        case .beatTimes:
            return .beats(
                try row["beat_times"].split(whereSeparator: \.isWhitespace).map { text in
                    guard let time = Double(text), time.isFinite, time >= 0 else {
                        throw files.error(
                            source, line: row.line,
                            "beat time '\(text)' is not a non-negative number of seconds")
                    }
                    return time
                }.sorted())
        case .key:
            guard let index = (try? MusicalKey(parsing: row["key"]))?.marbleClassIndex else {
                throw files.error(
                    source, line: row.line,
                    "key '\(row["key"])' is not a major or minor key such as 'C major' or "
                        + "'F# minor'")
            }
            return .classIndex(index)
        }
    }
}
