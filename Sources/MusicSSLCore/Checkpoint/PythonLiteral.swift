/// A value of the small Python literal subset that `.npy` headers are written in: strings,
/// integers, `True`, `False`, `None`, tuples and lists.
///
/// The header is parsed, never evaluated: anything outside this grammar is a syntax error.
indirect enum PythonLiteral: Equatable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])

    /// The value as Python's `repr` would write it, for error messages.
    var repr: String {
        switch self {
        case .string(let text): "'\(text)'"
        case .integer(let value): String(value)
        case .boolean(let value): value ? "True" : "False"
        case .none: "None"
        case .tuple(let items):
            items.count == 1
                ? "(\(items[0].repr),)" : "(\(items.map(\.repr).joined(separator: ", ")))"
        case .list(let items): "[\(items.map(\.repr).joined(separator: ", "))]"
        }
    }
}

/// A strict recursive-descent parser for one Python dict literal with string keys, such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`, followed only by whitespace.
struct PythonDictParser {
    /// A syntax error: what was expected and the character offset where parsing stopped.
    struct SyntaxError: Error {
        let message: String
    }

    /// Deepest nesting of tuples and lists accepted, so a hostile header cannot exhaust the stack.
    static let maximumDepth = 16

    private let characters: [Unicode.Scalar]
    private var position = 0

    /// Prepares to parse `text`.
    init(_ text: String) {
        characters = Array(text.unicodeScalars)
    }

    /// Parses the whole text as a dict literal; returns its entries in order of appearance
    /// (repeated keys are kept, so the caller can reject them).
    mutating func parseDictionary() throws -> [(key: String, value: PythonLiteral)] {
        skipWhitespace()
        try expect("{")
        var entries: [(key: String, value: PythonLiteral)] = []
        skipWhitespace()
        while peek() != "}" {
            guard peek() == "'" || peek() == "\"" else { throw error("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            entries.append((key, try parseValue(depth: 0)))
            skipWhitespace()
            guard peek() == "," else { break }
            position += 1
            skipWhitespace()
        }
        try expect("}")
        skipWhitespace()
        guard position == characters.count else { throw error("unexpected text after the dict") }
        return entries
    }

    private mutating func parseValue(depth: Int) throws -> PythonLiteral {
        guard depth < Self.maximumDepth else {
            throw error("nesting deeper than \(Self.maximumDepth)")
        }
        switch peek() {
        case "'", "\"":
            return .string(try parseString())
        case "(":
            return try parseSequence(closing: ")", depth: depth)
        case "[":
            return try parseSequence(closing: "]", depth: depth)
        case let character? where character == "-" || ("0"..."9").contains(character):
            return .integer(try parseInteger())
        default:
            for (word, value) in [("True", true), ("False", false)] where matches(word) {
                position += word.unicodeScalars.count
                return .boolean(value)
            }
            if matches("None") {
                position += 4
                return .none
            }
            throw error("expected a string, integer, True, False, None, tuple or list")
        }
    }

    /// A tuple `( ... )` or list `[ ... ]`. As in Python, `(x)` without a comma is just `x`.
    private mutating func parseSequence(
        closing: Unicode.Scalar, depth: Int
    ) throws
        -> PythonLiteral
    {
        position += 1
        var items: [PythonLiteral] = []
        var hasComma = false
        skipWhitespace()
        while peek() != closing {
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard peek() == "," else { break }
            hasComma = true
            position += 1
            skipWhitespace()
        }
        try expect(closing)
        if closing == "]" { return .list(items) }
        return items.count == 1 && !hasComma ? items[0] : .tuple(items)
    }

    /// A quoted string; only `\\`, `\'` and `\"` escapes are accepted.
    private mutating func parseString() throws -> String {
        let quote = characters[position]
        position += 1
        var text = String.UnicodeScalarView()
        while let character = peek(), character != quote {
            if character == "\\" {
                position += 1
                guard let escaped = peek(), ["\\", "'", "\""].contains(escaped) else {
                    throw error("unsupported escape in a string")
                }
                text.append(escaped)
            } else if character == "\n" {
                throw error("line break inside a string")
            } else {
                text.append(character)
            }
            position += 1
        }
        try expect(quote)
        return String(text)
    }

    /// A decimal integer, optionally negative; the `L` suffix of Python 2 writers is accepted.
    private mutating func parseInteger() throws -> Int {
        let start = position
        let isNegative = peek() == "-"
        if isNegative { position += 1 }
        var value = 0
        var digitCount = 0
        while let character = peek(), ("0"..."9").contains(character) {
            let digit = Int(character.value - 48)
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(isNegative ? -digit : digit)
            guard !overflowA, !overflowB else {
                position = start
                throw error("integer does not fit in 64 bits")
            }
            value = sum
            digitCount += 1
            position += 1
        }
        guard digitCount > 0 else { throw error("expected digits") }
        if peek() == "L" || peek() == "l" { position += 1 }
        return value
    }

    private func peek() -> Unicode.Scalar? {
        position < characters.count ? characters[position] : nil
    }

    private func matches(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        return characters[position...].starts(with: scalars)
    }

    private mutating func expect(_ character: Unicode.Scalar) throws {
        guard peek() == character else { throw error("expected '\(character)'") }
        position += 1
    }

    private mutating func skipWhitespace() {
        while let character = peek(), [" ", "\t", "\n", "\r"].contains(character) {
            position += 1
        }
    }

    private func error(_ message: String) -> SyntaxError {
        let found = peek().map { "'\(String($0).debugDescription.dropFirst().dropLast())'" }
        return SyntaxError(message: "\(message) at character \(position), found \(found ?? "end")")
    }
}
