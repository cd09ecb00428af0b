/// Why a safetensors file could not be read or written: the file, the tensor if one is at fault,
/// and the fault itself.
///
/// Messages read `[safetensors] /path/model.safetensors: tensor 'encoder.weight': data_offsets
/// [0, 12] hold 12 bytes, but F32 [2, 3] needs 24`.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    /// What was wrong with the file, its header, or the request.
    public enum Fault: Equatable, Sendable {
        /// The file could not be opened, mapped, written or renamed; the system's reason.
        case fileSystem(String)
        /// The file is too short to hold the 8-byte header length.
        case fileTooShort(byteCount: Int)
        /// The header length points past the end of the file or exceeds the 100 MB cap.
        case headerLengthOutOfRange(declared: UInt64, fileByteCount: Int)
        /// The header bytes are not valid UTF-8.
        case headerNotUTF8
        /// The header is not a JSON object; the parser's reason or what was found instead.
        case headerNotJSONObject(String)
        /// A tensor name appears twice in the header.
        case duplicateName
        /// An entry, or one of its fields, has the wrong JSON type.
        case malformedEntry(String)
        /// The dtype string is not one the format defines.
        case unknownDType(String)
        /// A shape has a negative extent.
        case negativeExtent(shape: [Int])
        /// The element count or byte size of a shape does not fit in an `Int`.
        case elementCountOverflow(shape: [Int])
        /// `data_offsets` is not a pair of ascending non-negative integers.
        case invalidDataOffsets(String)
        /// The tensor's data ends past the end of the data buffer.
        case dataOutOfBounds(end: Int, bufferByteCount: Int)
        /// The byte range does not match the element count times the element size.
        case byteCountMismatch(dtype: SafeTensorsDType, shape: [Int], expected: Int, actual: Int)
        /// Two tensors' byte ranges overlap; the other tensor's name.
        case overlappingTensors(other: String)
        /// `__metadata__` is not an object mapping strings to strings.
        case invalidMetadata(String)
        /// The tensor's dtype cannot be converted to Float32.
        case unsupportedDType(SafeTensorsDType)
        /// No tensor of that name is in the file.
        case missingTensor
        /// A tensor name given to the writer is empty, repeated or reserved.
        case invalidName(String)
    }

    /// The file the error is about.
    public let path: String
    /// The tensor at fault, when one is.
    public let tensorName: String?
    /// What went wrong.
    public let fault: Fault

    /// Creates an error about `path` (and `tensorName`, if the fault is in one tensor).
    public init(path: String, tensorName: String? = nil, _ fault: Fault) {
        self.path = path
        self.tensorName = tensorName
        self.fault = fault
    }

    public var description: String {
        let tensor = tensorName.map { ": tensor '\($0)'" } ?? ""
        return "[safetensors] \(path)\(tensor): \(fault)"
    }
}

extension SafeTensorsError.Fault: CustomStringConvertible {
    public var description: String {
        switch self {
        case .fileSystem(let reason):
            reason
        case .fileTooShort(let byteCount):
            "file is \(byteCount) bytes, shorter than the 8-byte header length"
        case .headerLengthOutOfRange(let declared, let fileByteCount):
            "header length \(declared) does not fit in a file of \(fileByteCount) bytes "
                + "(or exceeds the \(SafeTensorsFile.maximumHeaderByteCount)-byte cap)"
        case .headerNotUTF8:
            "header is not valid UTF-8"
        case .headerNotJSONObject(let reason):
            "header is not a JSON object: \(reason)"
        case .duplicateName:
            "name appears more than once in the header"
        case .malformedEntry(let reason):
            reason
        case .unknownDType(let dtype):
            "unknown dtype '\(dtype)'"
        case .negativeExtent(let shape):
            "shape \(shape) has a negative extent"
        case .elementCountOverflow(let shape):
            "shape \(shape) has more elements than fit in memory"
        case .invalidDataOffsets(let found):
            "data_offsets must be two ascending non-negative integers, got \(found)"
        case .dataOutOfBounds(let end, let bufferByteCount):
            "data ends at byte \(end), past the \(bufferByteCount)-byte data buffer"
        case .byteCountMismatch(let dtype, let shape, let expected, let actual):
            "data_offsets hold \(actual) bytes, but \(dtype.rawValue) \(shape) needs \(expected)"
        case .overlappingTensors(let other):
            "data overlaps that of tensor '\(other)'"
        case .invalidMetadata(let reason):
            "__metadata__ must map strings to strings: \(reason)"
        case .unsupportedDType(let dtype):
            "unsupported dtype \(dtype.rawValue): only F32, F16, BF16 and F64 convert to Float32"
        case .missingTensor:
            "no tensor of that name in the file"
        case .invalidName(let reason):
            reason
        }
    }
}
