import Foundation

/// A delimited file with a header row, read by column name as Python's `csv.DictReader` reads
/// it: header names and values are trimmed, a short row reads as empty trailing fields and extra
/// fields are ignored, but every row must reach the columns the loader needs.
struct HeadedTable {
    /// One row by column name.
    struct Record {
        /// Trimmed values by trimmed column name.
        var values: [String: String]
        /// The 1-based line the row starts on.
        var line: Int

        /// The value in `column`, empty when the row is short.
        subscript(column: String) -> String { values[column, default: ""] }
    }

    /// The rows after the header, in file order.
    var records: [Record]

    /// Reads `url`, which must have the header `columns` (among others).
    ///
    /// - Throws: ``DataSetError`` naming the file, or the line that is malformed or too short.
    init(
        _ url: URL, delimiter: DelimitedText.Delimiter, columns: [String], files: DataSetFiles
    ) throws {
        let names = columns.joined(separator: ", ")
        let kind = delimiter == .tab ? "tab" : "comma"
        let table = try files.table(
            of: url, delimiter: delimiter,
            expected: "a \(kind)-separated table with the columns \(names)")
        let trim = { (text: String) in text.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let header = table.rows.first?.fields.map(trim), columns.allSatisfy(header.contains)
        else {
            throw files.error(url, line: 1, "expected a header with the columns \(names)")
        }
        let requiredCount = (columns.compactMap { header.firstIndex(of: $0) }.max() ?? 0) + 1
        records = try table.rows.dropFirst().map { row in
            guard row.fields.count >= requiredCount else {
                throw files.error(
                    url, line: row.line,
                    "expected at least \(requiredCount) \(kind)-separated fields, found "
                        + "\(row.fields.count)")
            }
            let values = Dictionary(
                zip(header, row.fields.map(trim)), uniquingKeysWith: { first, _ in first })
            return Record(values: values, line: row.line)
        }
    }
}
