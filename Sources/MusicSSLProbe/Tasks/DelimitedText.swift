/// Rows of RFC 4180 delimited text: fields separated by one delimiter character (`,` or a tab),
/// optionally enclosed in double quotes, in which delimiters, line breaks and doubled quotes
/// (`""` for `"`) are literal. Lines end with LF or CRLF; a final line break is optional and
/// blank lines are skipped. A quote inside an unquoted field is literal.
///
/// Used for MagnaTagATune's quoted tab-separated `annotations_final.csv`, Emomusic's CSVs,
/// GiantSteps' TSVs and ``CSVTask`` manifests.
struct DelimitedText {
    /// One record and the 1-based line on which it starts.
    struct Row {
        /// The record's fields, unquoted.
        var fields: [String]
        /// The line the record starts on, for error messages.
        var line: Int
    }

    /// The records in file order.
    var rows: [Row]

    /// What may follow the quote that closes a quoted field.
    enum ClosingQuote {
        /// Only a delimiter or a line break (RFC 4180); anything else is a ``Malformation``.
        case endsField
        /// Further characters join the field, as Python's `csv` module reads with its default
        /// `strict=False` (`"Heroes" (Remix)` reads as `Heroes (Remix)`); for files that MARBLE
        /// reads with `csv` or pandas.
        case mayContinueField
    }

    /// Why text could not be split into records, and where.
    struct Malformation: Error {
        /// The line at fault.
        var line: Int
        /// What was expected there.
        var problem: String
    }

    /// Splits `text` on `delimiter`.
    ///
    /// - Throws: ``Malformation`` for a quote that is never closed (at the line it opens on) or
    ///   a closing quote followed by something other than a delimiter or line break.
    init(
        parsing text: String, delimiter: Character, closingQuote: ClosingQuote = .endsField
    ) throws {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var rowLine = 1
        var isQuoted = false
        var wasQuoted = false
        var quoteLine = 1
        var iterator = text.makeIterator()
        var pending: Character? = iterator.next()

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) {
                rows.append(Row(fields: fields, line: rowLine))
            }
            fields = []
            field = ""
            wasQuoted = false
        }

        while let character = pending {
            pending = iterator.next()
            if isQuoted {
                if character == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = iterator.next()
                    } else {
                        isQuoted = false
                        guard
                            closingQuote == .mayContinueField || pending == nil
                                || pending == delimiter || pending?.isNewline == true
                        else {
                            throw Malformation(
                                line: line,
                                problem: "a closing quote must be followed by '\(delimiter)' or "
                                    + "a line break")
                        }
                    }
                } else {
                    if character.isNewline { line += 1 }
                    field.append(character)
                }
            } else if character == delimiter {
                fields.append(field)
                field = ""
            } else if character.isNewline {
                // "\r\n" is one Character in Swift; a lone "\r" also ends the line.
                endRecord()
                line += 1
                rowLine = line
            } else if character == "\"" && field.isEmpty {
                isQuoted = true
                wasQuoted = true
                quoteLine = line
            } else {
                field.append(character)
            }
        }
        guard !isQuoted else {
            throw Malformation(
                line: quoteLine, problem: "the quoted field opened here is never closed")
        }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        self.rows = rows
    }
}
