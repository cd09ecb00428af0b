/// The element type of a `.npy` array, parsed from numpy's `descr` string (`'<f4'`, `'>i8'`,
/// `'|b1'`): a kind, a byte size and a byte order.
///
/// The reader accepts floats of 2, 4 and 8 bytes, signed and unsigned integers of 1, 2, 4 and 8
/// bytes and 1-byte booleans, in either byte order; the writer produces `<f4` and `<i8`.
public struct NumPyDType: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// How the bytes of one element are interpreted.
    public enum Kind: Character, Sendable {
        /// IEEE 754 binary floating point (numpy kind `f`).
        case float = "f"
        /// Two's-complement signed integer (numpy kind `i`).
        case signedInteger = "i"
        /// Unsigned integer (numpy kind `u`).
        case unsignedInteger = "u"
        /// One byte, zero for False and anything else for True (numpy kind `b`).
        case boolean = "b"
    }

    /// How the bytes of one element are interpreted.
    public let kind: Kind
    /// Bytes per element.
    public let byteCount: Int
    /// Whether multi-byte elements are stored most significant byte first (`>`).
    public let isBigEndian: Bool

    /// Little-endian Float32, numpy `<f4`.
    public static let float32 = NumPyDType(kind: .float, byteCount: 4, isBigEndian: false)
    /// Little-endian Float64, numpy `<f8`.
    public static let float64 = NumPyDType(kind: .float, byteCount: 8, isBigEndian: false)
    /// Little-endian Int32, numpy `<i4`.
    public static let int32 = NumPyDType(kind: .signedInteger, byteCount: 4, isBigEndian: false)
    /// Little-endian Int64, numpy `<i8`.
    public static let int64 = NumPyDType(kind: .signedInteger, byteCount: 8, isBigEndian: false)

    private init(kind: Kind, byteCount: Int, isBigEndian: Bool) {
        self.kind = kind
        self.byteCount = byteCount
        self.isBigEndian = isBigEndian
    }

    /// Parses a numpy type string such as `<f4`, or returns nil for one this reader does not
    /// support (structured, complex, string, object, datetime, ...).
    ///
    /// `=` (native order) reads as little-endian: every platform MusicSSL builds for is.
    /// `|` (order not applicable) is accepted only for 1-byte types, as numpy writes it.
    public init?(descr: String) {
        let characters = Array(descr)
        guard characters.count == 3, let kind = Kind(rawValue: characters[1]),
            characters[2].isASCII, let byteCount = characters[2].wholeNumberValue
        else { return nil }
        let sizes: Set<Int> =
            switch kind {
            case .float: [2, 4, 8]
            case .signedInteger, .unsignedInteger: [1, 2, 4, 8]
            case .boolean: [1]
            }
        guard sizes.contains(byteCount) else { return nil }
        switch characters[0] {
        case "<", "=": isBigEndian = false
        case ">": isBigEndian = true
        case "|" where byteCount == 1: isBigEndian = false
        default: return nil
        }
        self.kind = kind
        self.byteCount = byteCount
    }

    /// The numpy type string, e.g. `<f4`; `|` for 1-byte types, as numpy writes them.
    public var descr: String {
        let order = byteCount == 1 ? "|" : isBigEndian ? ">" : "<"
        return "\(order)\(kind.rawValue)\(byteCount)"
    }

    public var description: String { descr }
}
