import Testing

@testable import MusicSSLProbe

/// The RFC 4180 reader behind the CSV and TSV loaders.
@Suite("Delimited text")
struct DelimitedTextTests {
    @Test(
        "quoted fields keep delimiters, doubled quotes and line breaks; rows keep their first line")
    func quoting() throws {
        let text = "a,\"b,c\",\"say \"\"x\"\"\"\r\n\"multi\nline\",2,3\n\n4,,\"\"\n"
        let rows = try DelimitedText(parsing: text, delimiter: .comma).rows
        #expect(
            rows.map(\.fields) == [
                ["a", "b,c", "say \"x\""], ["multi\nline", "2", "3"], ["4", "", ""],
            ])
        #expect(rows.map(\.line) == [1, 2, 5])
    }

    @Test("tabs delimit MagnaTagATune's table; a last line without a break still counts")
    func tabs() throws {
        let rows = try DelimitedText(parsing: "\"clip_id\"\t\"guitar\"\n2\t1", delimiter: .tab).rows
        #expect(rows.map(\.fields) == [["clip_id", "guitar"], ["2", "1"]])
    }

    @Test(
        "an unclosed quote reports the line it opens on; a stray character after a quote is refused"
    )
    func malformed() {
        let unclosed = #expect(throws: DelimitedText.Malformation.self) {
            _ = try DelimitedText(parsing: "a\n\"b\nc\n", delimiter: .comma)
        }
        #expect(unclosed?.line == 2)
        #expect(throws: DelimitedText.Malformation.self) {
            _ = try DelimitedText(parsing: "\"a\"b,c\n", delimiter: .comma)
        }
    }

    @Test("Python's lenient reading lets text follow a closing quote, as csv's strict=False does")
    func pythonLenient() throws {
        let rows = try DelimitedText(
            parsing: "1\t\"Heroes\" (Remix)\t12\" Mix\n", delimiter: .tab,
            closingQuote: .mayContinueField
        ).rows
        #expect(rows.map(\.fields) == [["1", "Heroes (Remix)", "12\" Mix"]])
    }

    @Test("CR, LF and CRLF all end lines, inside quotes too, and line numbers count each once")
    func lineBreaks() throws {
        let text = "a\rb\r\n\"c\r\nd\"\ne,\"\"\"\"\r"
        let rows = try DelimitedText(parsing: text, delimiter: .comma).rows
        #expect(rows.map(\.fields) == [["a"], ["b"], ["c\r\nd"], ["e", "\""]])
        #expect(rows.map(\.line) == [1, 2, 3, 5])
    }
}
