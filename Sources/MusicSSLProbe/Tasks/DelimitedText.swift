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

    /// The field separator.
    enum Delimiter: UInt8 {
        /// `,`: CSV.
        case comma = 0x2C
        /// A tab: TSV.
        case tab = 0x09
    }

    /// Splits `text` on `delimiter`. Works on UTF-8 bytes (every byte the grammar looks at is
    /// ASCII) and decodes each unquoted field in one piece, which keeps MagnaTagATune's 21-MB
    /// table quick to read even in debug builds.
    ///
    /// - Throws: ``Malformation`` for a quote that is never closed (at the line it opens on) or
    ///   a closing quote followed by something other than a delimiter or line break.
    init(
        parsing text: String, delimiter: Delimiter, closingQuote: ClosingQuote = .endsField
    ) throws {
        var rows: [Row] = []
        try Array(text.utf8).withUnsafeBufferPointer { buffer in
            var reader = Reader(
                buffer: buffer, separator: delimiter.rawValue, closingQuote: closingQuote)
            while let row = try reader.nextRow() { rows.append(row) }
        }
        self.rows = rows
    }

    /// A cursor over the bytes that reads one record at a time.
    private struct Reader {
        let buffer: UnsafeBufferPointer<UInt8>
        let separator: UInt8
        let closingQuote: ClosingQuote
        var position = 0
        var line = 1

        static let quote = UInt8(ascii: "\"")
        static let lineFeed = UInt8(ascii: "\n")
        static let carriageReturn = UInt8(ascii: "\r")

        init(buffer: UnsafeBufferPointer<UInt8>, separator: UInt8, closingQuote: ClosingQuote) {
            self.buffer = buffer
            self.separator = separator
            self.closingQuote = closingQuote
        }

        /// Whether `byte` ends an unquoted field.
        func endsField(_ byte: UInt8) -> Bool {
            byte == separator || byte == Self.lineFeed || byte == Self.carriageReturn
        }

        /// The next non-blank record, or nil at the end of the text.
        mutating func nextRow() throws -> Row? {
            while position < buffer.count {
                let rowLine = line
                var fields: [String] = []
                var isBlank = true
                while true {
                    if position < buffer.count, buffer[position] == Self.quote {
                        isBlank = false
                        fields.append(try quotedField())
                    } else {
                        let start = position
                        while position < buffer.count, !endsField(buffer[position]) {
                            position += 1
                        }
                        isBlank = isBlank && position == start
                        fields.append(
                            String(
                                decoding: UnsafeBufferPointer(rebasing: buffer[start..<position]),
                                as: UTF8.self))
                    }
                    guard position < buffer.count, buffer[position] == separator else { break }
                    isBlank = false
                    position += 1
                }
                skipLineBreak()
                if !isBlank { return Row(fields: fields, line: rowLine) }
            }
            return nil
        }

        /// Reads a quoted field starting at its opening quote, through the closing quote (and,
        /// under ``ClosingQuote/mayContinueField``, any unquoted rest of the field). A field
        /// without doubled quotes is decoded straight from the buffer.
        mutating func quotedField() throws -> String {
            let openingLine = line
            position += 1
            let start = position
            var unescaped: [UInt8]?
            var segmentStart = position
            while position < buffer.count {
                let byte = buffer[position]
                if byte == Self.quote {
                    let end = position
                    position += 1
                    if position < buffer.count, buffer[position] == Self.quote {
                        // A doubled quote is one literal quote.
                        var bytes = unescaped ?? []
                        bytes.append(contentsOf: buffer[segmentStart...end])
                        unescaped = bytes
                        position += 1
                        segmentStart = position
                        continue
                    }
                    if unescaped == nil, position == buffer.count || endsField(buffer[position]) {
                        return String(
                            decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]),
                            as: UTF8.self)
                    }
                    var bytes = unescaped ?? []
                    bytes.append(contentsOf: buffer[segmentStart..<end])
                    try readAfterClosingQuote(into: &bytes)
                    return String(decoding: bytes, as: UTF8.self)
                }
                // A quoted line break is data, but still a line of the file.
                if byte == Self.lineFeed
                    || (byte == Self.carriageReturn
                        && !(position + 1 < buffer.count && buffer[position + 1] == Self.lineFeed))
                {
                    line += 1
                }
                position += 1
            }
            throw Malformation(
                line: openingLine, problem: "the quoted field opened here is never closed")
        }

        /// After a closing quote: nothing more of the field, or (leniently) its unquoted rest.
        mutating func readAfterClosingQuote(into bytes: inout [UInt8]) throws {
            guard position < buffer.count, !endsField(buffer[position]) else { return }
            guard closingQuote == .mayContinueField else {
                throw Malformation(
                    line: line,
                    problem: "a closing quote must be followed by the delimiter or a line break")
            }
            let start = position
            while position < buffer.count, !endsField(buffer[position]) { position += 1 }
            bytes.append(contentsOf: buffer[start..<position])
        }

        /// Steps over one LF, CRLF or CR, counting the line.
        mutating func skipLineBreak() {
            guard position < buffer.count else { return }
            if buffer[position] == Self.carriageReturn, position + 1 < buffer.count,
                buffer[position + 1] == Self.lineFeed
            {
                position += 1
            }
            position += 1
            line += 1
        }
    }
}
