import Foundation

/// A musical key as mir_eval reads it: a tonic pitch class and a mode, or mir_eval's
/// uncategorised key `"X"`.
///
/// Text is `"Tonic mode"` split on whitespace: the tonic is one of C, C#, Db, D, D#, Eb, E, F,
/// F#, Gb, G, G#, Ab, A, A#, Bb, B in any letter case (so `"D# minor"` and `"Eb minor"` are the
/// same key); the mode is exactly `major`, `minor` or `other`, lower case. `"X"` alone (any case)
/// is the uncategorised key. Spellings outside mir_eval's table (Cb, E#, Fb, B#) are refused.
///
/// ```swift
/// let key = try MusicalKey(parsing: "F# minor")
/// key.description            // "Gb minor" (MARBLE's flat spelling)
/// key.marbleClassIndex       // 18
/// ```
public struct MusicalKey: Hashable, Sendable, CustomStringConvertible {
    /// A key's mode; `other` is mir_eval's mode for keys that are neither major nor minor.
    public enum Mode: String, Hashable, Sendable, CaseIterable {
        /// Major mode.
        case major
        /// Minor mode.
        case minor
        /// Neither major nor minor (mir_eval accepts it; it matches only itself).
        case other
    }

    /// The tonic in semitones above C, `0..<12`; nil for the uncategorised key `"X"`.
    public let tonic: Int?
    /// The mode; nil exactly for the uncategorised key.
    public let mode: Mode?

    /// mir_eval's uncategorised key `"X"`: it scores 1 against itself and 0 against any other.
    public static let uncategorized = MusicalKey(validTonic: nil, mode: nil)

    /// Flat spellings, MARBLE's and the GiantSteps annotations' convention.
    static let flatTonicNames = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"]

    /// mir_eval's `KEY_TO_SEMITONE`, lower-cased.
    static let semitonesByName: [String: Int] = [
        "c": 0, "c#": 1, "db": 1, "d": 2, "d#": 3, "eb": 3, "e": 4, "f": 5, "f#": 6, "gb": 6,
        "g": 7, "g#": 8, "ab": 8, "a": 9, "a#": 10, "bb": 10, "b": 11,
    ]

    /// Creates the key with `tonic` semitones above C in `mode`.
    ///
    /// - Throws: ``MetricError`` when `tonic` is outside `0..<12`.
    public init(tonic: Int, mode: Mode) throws {
        guard (0..<12).contains(tonic) else {
            throw MetricError(
                "key", .malformedKey("tonic \(tonic)", reason: "a tonic is a pitch class 0..<12"))
        }
        self.init(validTonic: tonic, mode: mode)
    }

    init(validTonic: Int?, mode: Mode?) {
        self.tonic = validTonic
        self.mode = mode
    }

    /// Parses `"Tonic mode"` or `"X"` as `mir_eval.key.validate_key` accepts them.
    ///
    /// - Throws: ``MetricError`` naming the text and what is wrong with it.
    public init(parsing text: String) throws {
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        if fields.count == 1, fields[0].lowercased() == "x" {
            self = .uncategorized
            return
        }
        guard fields.count == 2 else {
            throw MetricError(
                "key", .malformedKey(text, reason: "expected 'Tonic mode' (e.g. 'Eb minor') or 'X'")
            )
        }
        guard let tonic = Self.semitonesByName[fields[0].lowercased()] else {
            throw MetricError(
                "key",
                .malformedKey(
                    text, reason: "tonic '\(fields[0])' is not one of C, C#, Db, D, … B, or X"))
        }
        guard let mode = Mode(rawValue: fields[1]) else {
            throw MetricError(
                "key",
                .malformedKey(text, reason: "mode '\(fields[1])' is not major, minor or other"))
        }
        self.init(validTonic: tonic, mode: mode)
    }

    /// Parses the contents of a key annotation file as `mir_eval.io.load_key` does: lines
    /// starting with `#` and blank lines are ignored, exactly one line must remain, and its
    /// whitespace-separated tonic and mode form the key (e.g. `"C\tmajor"` or `"Eb minor"`).
    ///
    /// - Throws: ``MetricError`` when no line or more than one line remains, or the key is
    ///   malformed.
    public init(annotation text: String) throws {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return !trimmed.isEmpty && !trimmed.hasPrefix("#")
        }
        guard lines.count == 1 else {
            throw MetricError(
                "key",
                .malformedKey(
                    text, reason: "a key file holds one key line, found \(lines.count)"))
        }
        try self.init(parsing: lines[0])
    }

    /// The key spelled with flats, e.g. `"Eb minor"`, or `"X"`.
    public var description: String {
        guard let tonic, let mode else { return "X" }
        return "\(Self.flatTonicNames[tonic]) \(mode.rawValue)"
    }
}
