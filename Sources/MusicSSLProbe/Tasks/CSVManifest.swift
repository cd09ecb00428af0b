import Foundation

/// One parsed ``CSVTask`` manifest: trimmed header names and rows of exactly the header's width.
struct CSVManifest {
    /// One data row by column name.
    struct Row {
        /// Values by column name, as written (not trimmed).
        var values: [String: String]
        /// The 1-based line the row starts on.
        var line: Int

        /// The value in `column`, trimmed; empty when the column is absent.
        subscript(column: String) -> String {
            values[column, default: ""].trimmingCharacters(in: .whitespaces)
        }
    }

    /// The manifest file.
    var url: URL
    /// Column names in file order.
    var header: [String]
    /// The data rows in file order.
    var rows: [Row]

    /// Reads `url`.
    ///
    /// - Throws: ``DataSetError`` for a missing or malformed file, a repeated or empty column
    ///   name, or a row whose field count differs from the header's.
    init(_ url: URL, files: DataSetFiles) throws {
        let table = try files.table(
            of: url, delimiter: .comma, expected: "a CSV manifest with a 'path' column",
            closingQuote: .endsField)
        guard let headerRow = table.rows.first else {
            throw files.error(url, "empty, expected a header row with a 'path' column")
        }
        let header = headerRow.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        guard Set(header).count == header.count, !header.contains("") else {
            throw files.error(
                url, line: headerRow.line, "column names must be non-empty and distinct")
        }
        self.url = url
        self.header = header
        rows = try table.rows.dropFirst().map { row in
            guard row.fields.count == header.count else {
                throw files.error(
                    url, line: row.line,
                    "expected \(header.count) fields like the header, found \(row.fields.count)")
            }
            return Row(
                values: Dictionary(uniqueKeysWithValues: zip(header, row.fields)), line: row.line)
        }
    }
}
