import Foundation
import MusicSSLCore

/// `safetensors`: the whole file as a .safetensors checkpoint; every tensor read.
func fuzzSafeTensors(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    let file = try SafeTensorsFile(contentsOf: Scratch.file("input.safetensors", bytes))
    _ = try file.allTensors()
}

/// `npy`: the whole file as a .npy array; read as Float32 and as integers.
func fuzzNumPy(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    let array = try NumPyArray(contentsOf: Scratch.file("input.npy", bytes))
    _ = array.tensor()
    _ = try? array.int64Values()
}

/// `torch`: an input that starts with a zip local header (`PK\x03\x04`) is the whole `.pt`
/// file; any other input is the pickle (`archive/data.pkl`) of a zip built around it, with
/// `archive/byteorder` = `little` and storages `archive/data/0` … `archive/data/15` of 256 bytes
/// each, so the restricted unpickler sees the bytes directly.
func fuzzTorch(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    let isZip = bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 3 && bytes[3] == 4
    let fileBytes: [UInt8]
    if isZip {
        fileBytes = Array(bytes)
    } else {
        var entries: [(String, [UInt8])] = [
            ("archive/data.pkl", Array(bytes)), ("archive/byteorder", Array("little".utf8)),
        ]
        for key in 0..<16 { entries.append(("archive/data/\(key)", [UInt8](repeating: 0x3C, count: 256))) }
        fileBytes = StoredZip.archive(entries)
    }
    let checkpoint = try TorchCheckpoint(contentsOf: Scratch.file("input.pt", fileBytes))
    _ = checkpoint.root.configuration
    for path in [[], ["model"], ["state_dict"]] as [[String]] {
        _ = try? checkpoint.stateDict(at: path)
    }
    if let references = try? checkpoint.tensorReferences(at: []) {
        for (_, reference) in references { _ = try? checkpoint.integers(reference) }
    }
}

/// `hf-config`: the whole input as a HuggingFace config.json.
func fuzzHuggingFaceConfig(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    _ = try EncoderConfiguration(huggingFaceConfig: Data(bytes), source: "config.json")
}

/// A zip archive of STORED entries (no compression; CRC-32 computed), as torch.save writes.
enum StoredZip {
    static func archive(_ entries: [(name: String, data: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, data) in entries {
            let offset = out.count
            let crc = crc32(data)
            let nameBytes = Array(name.utf8)
            out += u32(0x0403_4b50) + u16(20) + u16(0) + u16(0) + u16(0) + u16(0)
            out += u32(crc) + u32(UInt32(data.count)) + u32(UInt32(data.count))
            out += u16(UInt16(nameBytes.count)) + u16(0) + nameBytes + data
            central += u32(0x0201_4b50) + u16(20) + u16(20) + u16(0) + u16(0) + u16(0) + u16(0)
            central += u32(crc) + u32(UInt32(data.count)) + u32(UInt32(data.count))
            central += u16(UInt16(nameBytes.count)) + u16(0) + u16(0) + u16(0) + u16(0)
            central += u32(0) + u32(UInt32(offset)) + nameBytes
        }
        let directoryStart = out.count
        out += central
        out += u32(0x0605_4b50) + u16(0) + u16(0) + u16(UInt16(entries.count))
        out += u16(UInt16(entries.count)) + u32(UInt32(central.count)) + u32(UInt32(directoryStart))
        out += u16(0)
        return out
    }

    private static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private static func u32(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) }
    }
    private static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
