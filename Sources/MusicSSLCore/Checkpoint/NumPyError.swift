/// Why a `.npy` file could not be read or written: the file and the fault.
///
/// Messages read `[npy] /path/labels.npy: data holds 40 bytes, but <f4 (3, 4) needs 48`.
public struct NumPyError: Error, CustomStringConvertible, Equatable {
    /// What was wrong with the file, its header, or the request.
    public enum Fault: Equatable, Sendable {
        /// The file could not be opened, mapped, written or renamed; the system's reason.
        case fileSystem(String)
        /// The file is too short to hold the magic string, version and header length.
        case fileTooShort(byteCount: Int)
        /// The file does not start with `\x93NUMPY`.
        case badMagic
        /// The format version is not 1.0, 2.0 or 3.0.
        case unsupportedVersion(major: UInt8, minor: UInt8)
        /// The header length points past the end of the file or exceeds the header size cap.
        case headerLengthOutOfRange(declared: UInt32, fileByteCount: Int)
        /// A version 3.0 header is not valid UTF-8.
        case headerNotUTF8
        /// The header is not a Python dict literal of the form numpy writes; where and why.
        case headerSyntax(String)
        /// A required key (`descr`, `fortran_order`, `shape`) is not in the header.
        case missingKey(String)
        /// The header holds a key numpy does not write, or one key twice.
        case unexpectedKey(String)
        /// A header value has the wrong type; the key and what was found.
        case invalidValue(key: String, found: String)
        /// The `descr` is not one of the supported element types.
        case unsupportedDType(String)
        /// The shape has a negative extent.
        case negativeExtent(shape: [Int])
        /// The element count or byte size of the shape does not fit in an `Int`.
        case elementCountOverflow(shape: [Int])
        /// The data after the header is not exactly the element count times the element size.
        case byteCountMismatch(dtype: NumPyDType, shape: [Int], expected: Int, actual: Int)
        /// Integer values were asked of an array whose elements are not integers.
        case notIntegers(NumPyDType)
        /// An unsigned 64-bit element is larger than `Int.max`; its flat index.
        case integerOutOfRange(index: Int)
        /// Values given to the writer do not match the shape given with them.
        case shapeMismatch(shape: [Int], valueCount: Int)
    }

    /// The file the error is about.
    public let path: String
    /// What went wrong.
    public let fault: Fault

    /// Creates an error about the file at `path`.
    public init(path: String, _ fault: Fault) {
        self.path = path
        self.fault = fault
    }

    public var description: String { "[npy] \(path): \(fault)" }
}

extension NumPyError.Fault: CustomStringConvertible {
    public var description: String {
        switch self {
        case .fileSystem(let reason):
            reason
        case .fileTooShort(let byteCount):
            "file is \(byteCount) bytes, too short for the magic string, version and header length"
        case .badMagic:
            "not a .npy file: it does not start with the magic string \\x93NUMPY"
        case .unsupportedVersion(let major, let minor):
            "format version \(major).\(minor) is not 1.0, 2.0 or 3.0"
        case .headerLengthOutOfRange(let declared, let fileByteCount):
            "header length \(declared) does not fit in a file of \(fileByteCount) bytes "
                + "(or exceeds the \(NumPyArray.maximumHeaderByteCount)-byte cap)"
        case .headerNotUTF8:
            "version 3.0 header is not valid UTF-8"
        case .headerSyntax(let reason):
            "header is not a Python dict literal: \(reason)"
        case .missingKey(let key):
            "header has no '\(key)' key"
        case .unexpectedKey(let key):
            "header has an unexpected or repeated key '\(key)'"
        case .invalidValue(let key, let found):
            "header value of '\(key)' is invalid: \(found)"
        case .unsupportedDType(let descr):
            "unsupported dtype \(descr): expected a float (f2, f4, f8), integer (i1-i8, u1-u8) "
                + "or boolean (b1) type string"
        case .negativeExtent(let shape):
            "shape \(NumPyHeader.shapeLiteral(shape)) has a negative extent"
        case .elementCountOverflow(let shape):
            "shape \(NumPyHeader.shapeLiteral(shape)) has more elements than fit in memory"
        case .byteCountMismatch(let dtype, let shape, let expected, let actual):
            "data holds \(actual) bytes, but \(dtype) \(NumPyHeader.shapeLiteral(shape)) "
                + "needs \(expected)"
        case .notIntegers(let dtype):
            "elements of dtype \(dtype) are not integers"
        case .integerOutOfRange(let index):
            "element \(index) is larger than the largest Int"
        case .shapeMismatch(let shape, let valueCount):
            "shape \(NumPyHeader.shapeLiteral(shape)) does not hold \(valueCount) values"
        }
    }
}
