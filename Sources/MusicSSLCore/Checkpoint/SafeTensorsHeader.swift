import Foundation

/// The parsed and validated JSON header of a safetensors file.
///
/// Every value taken from the file is checked before it is used: types, dtype names, shapes
/// (non-negative, element count and byte size within `Int`), offsets (ascending, inside the data
/// buffer, matching the byte size) and that no two tensors share bytes. Gaps between tensors and
/// unused bytes at the end are allowed.
struct SafeTensorsHeader {
    /// The key under which the format stores free-form string metadata.
    static let metadataKey = "__metadata__"

    /// Tensor descriptions by name.
    let entries: [String: SafeTensorsFile.TensorInfo]
    /// The `__metadata__` object, empty when absent.
    let metadata: [String: String]

    /// Parses `bytes`, the header of the file at `path` whose data buffer is `bufferByteCount`.
    ///
    /// - Throws: ``SafeTensorsError`` naming the first fault found (tensors are checked in name
    ///   order, so the same file always reports the same fault).
    init(parsing bytes: UnsafeRawBufferPointer, bufferByteCount: Int, path: String) throws {
        func fault(_ fault: SafeTensorsError.Fault, _ name: String? = nil) -> SafeTensorsError {
            SafeTensorsError(path: path, tensorName: name, fault)
        }
        guard Self.isValidUTF8(bytes) else { throw fault(.headerNotUTF8) }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            let reason = (error as NSError).userInfo["NSDebugDescription"] as? String
            throw fault(.headerNotJSONObject(reason ?? "\(error)"))
        }
        guard let object = parsed as? [String: Any] else {
            throw fault(.headerNotJSONObject("the top level is an array"))
        }
        // JSONSerialization keeps the last of repeated keys; list the keys in the text instead.
        let keys = Self.topLevelKeys(in: bytes)
        if keys.count != object.count {
            var seen = Set<String>()
            throw fault(.duplicateName, keys.first { !seen.insert($0).inserted })
        }

        var metadata: [String: String] = [:]
        var entries: [String: SafeTensorsFile.TensorInfo] = [:]
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            if name == Self.metadataKey {
                metadata = try Self.metadata(from: value, path: path)
                continue
            }
            let info = try Self.entry(from: value, name: name, path: path)
            guard info.dataOffsets.upperBound <= bufferByteCount else {
                throw fault(
                    .dataOutOfBounds(
                        end: info.dataOffsets.upperBound, bufferByteCount: bufferByteCount),
                    name)
            }
            entries[name] = info
        }
        try Self.checkNoOverlap(entries, path: path)
        self.entries = entries
        self.metadata = metadata
    }

    /// Validates one tensor entry: `{"dtype": String, "shape": [Int], "data_offsets": [Int, Int]}`.
    private static func entry(
        from value: Any, name: String, path: String
    ) throws -> SafeTensorsFile.TensorInfo {
        func fault(_ fault: SafeTensorsError.Fault) -> SafeTensorsError {
            SafeTensorsError(path: path, tensorName: name, fault)
        }
        guard let fields = value as? [String: Any] else {
            throw fault(.malformedEntry("entry must be an object with dtype, shape, data_offsets"))
        }
        guard let dtypeName = fields["dtype"] as? String else {
            throw fault(.malformedEntry("dtype must be a string"))
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw fault(.unknownDType(dtypeName))
        }
        guard let shapeValues = fields["shape"] as? [Any] else {
            throw fault(.malformedEntry("shape must be an array of integers"))
        }
        let shape = shapeValues.compactMap(integer)
        guard shape.count == shapeValues.count else {
            throw fault(.malformedEntry("shape must be an array of integers"))
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw fault(.negativeExtent(shape: shape)) }
        var bitCount = dtype.bitCount
        for extent in shape {
            let (product, overflow) = bitCount.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw fault(.elementCountOverflow(shape: shape)) }
            bitCount = product
        }
        guard bitCount % 8 == 0 else {
            throw fault(.malformedEntry("\(dtypeName) \(shape) is not a whole number of bytes"))
        }
        let offsetValues = fields["data_offsets"] as? [Any] ?? []
        let offsets = offsetValues.compactMap(integer)
        guard offsetValues.count == 2, offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1]
        else {
            throw fault(.invalidDataOffsets(abbreviated(fields["data_offsets"])))
        }
        let byteCount = offsets[1] - offsets[0]
        guard byteCount == bitCount / 8 else {
            throw fault(
                .byteCountMismatch(
                    dtype: dtype, shape: shape, expected: bitCount / 8, actual: byteCount))
        }
        return SafeTensorsFile.TensorInfo(
            dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
    }

    /// Validates `__metadata__`: an object whose values are all strings.
    private static func metadata(from value: Any, path: String) throws -> [String: String] {
        guard let object = value as? [String: Any] else {
            throw SafeTensorsError(path: path, .invalidMetadata("found \(abbreviated(value))"))
        }
        var metadata: [String: String] = [:]
        for (key, value) in object {
            guard let string = value as? String else {
                throw SafeTensorsError(
                    path: path, .invalidMetadata("'\(key)' maps to \(abbreviated(value))"))
            }
            metadata[key] = string
        }
        return metadata
    }

    /// Throws if two tensors with data share a byte (empty tensors occupy no bytes).
    private static func checkNoOverlap(
        _ entries: [String: SafeTensorsFile.TensorInfo], path: String
    ) throws {
        let occupied = entries.filter { !$0.value.dataOffsets.isEmpty }.sorted {
            ($0.value.dataOffsets.lowerBound, $0.key) < ($1.value.dataOffsets.lowerBound, $1.key)
        }
        for (previous, next) in zip(occupied, occupied.dropFirst())
        where next.value.dataOffsets.lowerBound < previous.value.dataOffsets.upperBound {
            throw SafeTensorsError(
                path: path, tensorName: next.key, .overlappingTensors(other: previous.key))
        }
    }

    /// A JSON integer as an `Int`; nil for booleans, fractions and values beyond `Int`.
    private static func integer(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        // Booleans and decimals also arrive as NSNumber; their type codes tell them apart.
        switch String(cString: number.objCType) {
        case "c", "B", "f", "d": return nil
        default: return value as? Int
        }
    }

    /// A short rendering of an untrusted JSON value for an error message.
    private static func abbreviated(_ value: Any?) -> String {
        let text = value.map { "\($0)" } ?? "nothing"
        return text.count > 60 ? text.prefix(60) + "…" : text
    }

    /// True when `bytes` is well-formed UTF-8.
    private static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// The keys of the top-level object in order, repeats included, read from the JSON text
    /// (which the caller has already parsed successfully).
    private static func topLevelKeys(in bytes: UnsafeRawBufferPointer) -> [String] {
        var literals: [UnsafeRawBufferPointer.SubSequence] = []
        var depth = 0
        var expectsKey = false
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count && bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                if depth == 1 && expectsKey {
                    literals.append(bytes[start..<Swift.min(index + 1, bytes.count)])
                    expectsKey = false
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectsKey = depth == 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ",") where depth == 1:
                expectsKey = true
            default:
                break
            }
            index += 1
        }
        // Decode the escaped key literals by parsing them as one JSON array of strings.
        var array = Data("[".utf8)
        for (position, literal) in literals.enumerated() {
            if position > 0 { array.append(UInt8(ascii: ",")) }
            array.append(contentsOf: literal)
        }
        array.append(UInt8(ascii: "]"))
        return (try? JSONSerialization.jsonObject(with: array)) as? [String] ?? []
    }
}
