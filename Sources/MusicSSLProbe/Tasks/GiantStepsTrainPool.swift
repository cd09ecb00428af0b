import Foundation

/// The GiantSteps-MTG key songs MARBLE trains and validates on, with jukemir's artist split
/// (probe-spec §2.3, MARBLE `tasks/GS/preprocess.py`); see ``GiantStepsKeyLoader``.
enum GiantStepsTrainPool {
    /// Kept songs (`C` = 2, no `/` in the key) with their train/valid split.
    static func songs(
        in repository: URL, files: DataSetFiles
    ) throws -> [GiantStepsKeyLoader.Song] {
        let annotations = repository.appendingPathComponent("annotations")
        let metadataFile = annotations.appendingPathComponent("beatport_metadata.txt")
        let metadata = try records(
            metadataFile, columns: ["ID", "ARTIST"], files: files)
        let artistSplit = artistSplits(metadata.map { $0["ARTIST"] })
        var artistsByID: [String: [String]] = [:]
        for record in metadata {
            artistsByID[record["ID"]] = artists(record["ARTIST"])
        }
        let annotationFile = annotations.appendingPathComponent("annotations.txt")
        let rows = try records(
            annotationFile, columns: ["ID", "MANUAL KEY", "C"], files: files)
        return try rows.compactMap { row in
            let id = row["ID"]
            let manualKey = row["MANUAL KEY"]
            guard let confidence = Int(row["C"])
            else {
                throw files.error(annotationFile, line: row.line, "confidence C is not an integer")
            }
            guard confidence == 2, !manualKey.contains("/") else { return nil }
            guard let artists = artistsByID[id] else {
                throw files.error(
                    annotationFile, line: row.line,
                    "song \(id) has no row in \(metadataFile.lastPathComponent)")
            }
            let keyClass = try GiantStepsKeyLoader.keyClass(
                manualKey, isAnnotationFile: false, source: annotationFile, line: row.line,
                files: files)
            let isValid = artists.contains { artistSplit[$0] == .valid }
            return GiantStepsKeyLoader.Song(
                id: id, split: isValid ? .valid : .train, keyClass: keyClass,
                repository: repository, source: annotationFile, line: row.line)
        }
    }

    /// Each artist's split: the SHA-1 rule, then two passes (in row order) making every
    /// co-artist of a valid artist valid.
    static func artistSplits(_ artistFields: [String]) -> [String: DataSplit] {
        let rows = artistFields.map(artists)
        var split: [String: DataSplit] = [:]
        for artists in rows {
            for artist in artists {
                split[artist] = ArtistHashSplit.split(
                    of: artist.lowercased(), trainCount: ArtistHashSplit.giantSteps.trainCount,
                    validCount: ArtistHashSplit.giantSteps.validCount)
            }
        }
        for _ in 0..<2 {
            for artists in rows where artists.contains(where: { split[$0] == .valid }) {
                for artist in artists { split[artist] = .valid }
            }
        }
        return split
    }

    /// `ARTIST` split on commas, each name trimmed.
    static func artists(_ field: String) -> [String] {
        field.trimmingCharacters(in: .whitespacesAndNewlines).split(
            separator: ",", omittingEmptySubsequences: false
        ).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The rows of a headed TSV file that must have `columns`; a later row with the same `ID`
    /// replaces an earlier one in place, as Python's dict keyed by `int(ID)` does.
    static func records(
        _ url: URL, columns: [String], files: DataSetFiles
    ) throws -> [HeadedTable.Record] {
        let table = try HeadedTable(url, delimiter: .tab, columns: columns, files: files)
        var records: [HeadedTable.Record] = []
        var positionByID: [String: Int] = [:]
        for var record in table.records {
            guard let number = Int(record["ID"]) else {
                throw files.error(url, line: record.line, "ID '\(record["ID"])' is not an integer")
            }
            let id = String(number)
            record.values["ID"] = id
            if let position = positionByID[id] {
                records[position] = record
            } else {
                positionByID[id] = records.count
                records.append(record)
            }
        }
        return records
    }
}
