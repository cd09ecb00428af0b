import Foundation

/// Builds torch-style zip checkpoints byte by byte, so tests can feed the reader hand-made
/// pickles (malicious or malformed) and archives (zip64, compressed, truncated).
struct TorchTestArchive {
    /// One entry: its name, data, and the compression method its headers claim.
    struct Entry {
        var name: String
        var data: [UInt8]
        var method: UInt16 = 0
    }

    var entries: [Entry]
    /// Writes zip64 extra fields (sizes and offset saturated) and the zip64 end records.
    var usesZip64 = false

    /// An archive holding `pickle` as `archive/data.pkl` and the given storages as
    /// `archive/data/<key>`.
    init(pickle: [UInt8], storages: [String: [UInt8]] = [:], usesZip64: Bool = false) {
        entries = [Entry(name: "archive/data.pkl", data: pickle)]
        for (key, data) in storages.sorted(by: { $0.key < $1.key }) {
            entries.append(Entry(name: "archive/data/\(key)", data: data))
        }
        entries.append(Entry(name: "archive/byteorder", data: Array("little".utf8)))
        entries.append(Entry(name: "archive/version", data: Array("3\n".utf8)))
        self.usesZip64 = usesZip64
    }

    /// The zip file's bytes (PKWARE APPNOTE 4.3.7, 4.3.12, 4.3.14–16).
    var bytes: [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        let saturated: UInt32 = usesZip64 ? 0xFFFF_FFFF : 0
        for entry in entries {
            let offset = out.count
            let name = Array(entry.name.utf8)
            out += le32(0x0403_4b50) + le16(20) + le16(0) + le16(entry.method) + le16(0) + le16(0)
            out += le32(0) + le32(UInt32(entry.data.count)) + le32(UInt32(entry.data.count))
            out += le16(UInt16(name.count)) + le16(0) + name + entry.data
            let extra =
                usesZip64
                ? le16(1) + le16(24) + le64(UInt64(entry.data.count))
                    + le64(UInt64(entry.data.count)) + le64(UInt64(offset)) : []
            let size = usesZip64 ? saturated : UInt32(entry.data.count)
            central += le32(0x0201_4b50) + le16(45) + le16(45) + le16(0) + le16(entry.method)
            central += le16(0) + le16(0) + le32(0) + le32(size) + le32(size)
            central += le16(UInt16(name.count)) + le16(UInt16(extra.count)) + le16(0)
            central += le16(0) + le16(0) + le32(0)
            central += le32(usesZip64 ? saturated : UInt32(offset)) + name + extra
        }
        let directoryStart = out.count
        out += central
        let count = UInt16(entries.count)
        if usesZip64 {
            let record = out.count
            out += le32(0x0606_4b50) + le64(44) + le16(45) + le16(45) + le32(0) + le32(0)
            out += le64(UInt64(count)) + le64(UInt64(count)) + le64(UInt64(central.count))
            out += le64(UInt64(directoryStart))
            out += le32(0x0706_4b50) + le32(0) + le64(UInt64(record)) + le32(1)
            out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(0xFFFF) + le16(0xFFFF)
            out += le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF) + le16(0)
        } else {
            out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(count) + le16(count)
            out += le32(UInt32(central.count)) + le32(UInt32(directoryStart)) + le16(0)
        }
        return out
    }
}

func le16(_ value: UInt16) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
func le32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
func le64(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }

/// Pickle opcodes spelled out, for hand-built pickles (names as in CPython's pickle.py).
enum Pickle {
    static let proto2: [UInt8] = [0x80, 2]
    static let stop: [UInt8] = [0x2E]
    static let mark: [UInt8] = [0x28]
    static let tuple: [UInt8] = [0x74]
    static let emptyTuple: [UInt8] = [0x29]
    static let emptyDict: [UInt8] = [0x7D]
    static let setItem: [UInt8] = [0x73]
    static let reduce: [UInt8] = [0x52]
    static let binPersID: [UInt8] = [0x51]
    static let newFalse: [UInt8] = [0x89]
    static let stackGlobal: [UInt8] = [0x93]

    static func global(_ module: String, _ name: String) -> [UInt8] {
        [0x63] + Array("\(module)\n\(name)\n".utf8)
    }

    static func unicode(_ string: String) -> [UInt8] {
        let utf8 = Array(string.utf8)
        return [0x58] + le32(UInt32(utf8.count)) + utf8
    }

    static func int(_ value: Int32) -> [UInt8] { [0x4A] + le32(UInt32(bitPattern: value)) }

    static func long(_ value: Int64) -> [UInt8] {
        [0x8A, 8] + le64(UInt64(bitPattern: value))
    }

    static func ints(_ values: [Int]) -> [UInt8] {
        mark + values.flatMap { long(Int64($0)) } + tuple
    }

    /// `_rebuild_tensor_v2(('storage', FloatStorage, key, 'cpu', numel), offset, size, stride,
    /// False, OrderedDict())`, as torch.save writes it.
    static func tensor(
        key: String, elementCount: Int64, offset: Int, shape: [Int], strides: [Int]
    ) -> [UInt8] {
        let persistentID =
            mark + unicode("storage") + global("torch", "FloatStorage") + unicode(key)
            + unicode("cpu") + long(elementCount) + tuple
        return global("torch._utils", "_rebuild_tensor_v2") + mark + persistentID + binPersID
            + long(Int64(offset)) + ints(shape) + ints(strides) + newFalse
            + global("collections", "OrderedDict") + emptyTuple + reduce + tuple + reduce
    }

    /// `{name: tensor}` as a whole pickle.
    static func stateDict(_ name: String, _ tensor: [UInt8]) -> [UInt8] {
        proto2 + emptyDict + unicode(name) + tensor + setItem + stop
    }
}

/// The little-endian bytes of `values` as float32.
func float32Bytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { le32($0.bitPattern) }
}
