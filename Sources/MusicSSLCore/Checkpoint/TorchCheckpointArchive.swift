/// The zip container `torch.save` writes (torch >= 1.6): a directory of STORED entries,
/// `<folder>/data.pkl`, `<folder>/data/<key>` storages, `<folder>/version`, `<folder>/byteorder`.
///
/// A minimal reader of the PKWARE APPNOTE layout: the end-of-central-directory record (and its
/// zip64 form, which torch writes for files past 4 GB), then the central directory. Every
/// offset and size is checked against the file before use; compressed or encrypted entries are
/// refused because torch never writes them.
struct TorchCheckpointArchive {
    /// The byte range of each entry's data within the file, by entry name.
    let entries: [String: Range<Int>]

    private static let endRecordSignature: UInt32 = 0x0605_4b50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    private static let zip64EndRecordSignature: UInt32 = 0x0606_4b50
    private static let centralHeaderSignature: UInt32 = 0x0201_4b50
    private static let localHeaderSignature: UInt32 = 0x0403_4b50

    /// Reads the directory of the zip archive in `bytes`.
    ///
    /// - Throws: ``TorchCheckpointError`` (about `path`) when the archive is malformed.
    init(_ bytes: UnsafeRawBufferPointer, path: String) throws {
        let reader = ByteReader(bytes: bytes, path: path)
        let end = try Self.findEndRecord(reader)
        var entryCount = Int(try reader.u16(end + 10))
        var directorySize = Int(try reader.u32(end + 12))
        var directoryStart = Int(try reader.u32(end + 16))
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryStart == 0xFFFF_FFFF {
            // Zip64: the locator sits just before the end record and points at the zip64 record.
            let locator = end - 20
            guard locator >= 0, try reader.u32(locator) == Self.zip64LocatorSignature else {
                throw reader.fault("zip64 end-of-directory locator missing")
            }
            let record = try reader.offset(try reader.u64(locator + 8))
            guard try reader.u32(record) == Self.zip64EndRecordSignature else {
                throw reader.fault("zip64 end-of-directory record missing at byte \(record)")
            }
            entryCount = try reader.offset(try reader.u64(record + 32))
            directorySize = try reader.offset(try reader.u64(record + 40))
            directoryStart = try reader.offset(try reader.u64(record + 48))
        }
        guard directoryStart <= end, directorySize <= end - directoryStart else {
            throw reader.fault(
                "central directory [\(directoryStart), +\(directorySize)) lies outside the file")
        }
        // Each central header is at least 46 bytes, which bounds a forged entry count.
        guard entryCount <= directorySize / 46 else {
            throw reader.fault("\(entryCount) entries cannot fit in \(directorySize) bytes")
        }
        var entries: [String: Range<Int>] = [:]
        var cursor = directoryStart
        for _ in 0..<entryCount {
            let (name, data, next) = try Self.readEntry(reader, at: cursor, limit: end)
            guard entries[name] == nil else { throw reader.fault("entry '\(name)' appears twice") }
            entries[name] = data
            cursor = next
        }
        self.entries = entries
    }

    /// The offset of the end-of-central-directory record, searched backwards past any comment.
    private static func findEndRecord(_ reader: ByteReader) throws -> Int {
        let count = reader.bytes.count
        guard count >= 22 else { throw reader.fault("file is \(count) bytes, too short for zip") }
        let lowest = Swift.max(0, count - 22 - 0xFFFF)
        for offset in stride(from: count - 22, through: lowest, by: -1)
        where try reader.u32(offset) == endRecordSignature {
            // The comment length must reach exactly to the end of the file.
            if offset + 22 + Int(try reader.u16(offset + 20)) == count { return offset }
        }
        throw reader.fault("no end-of-central-directory record (truncated file?)")
    }

    /// One central directory entry at `offset`: its name, the range of its data, and the
    /// offset of the next entry.
    private static func readEntry(
        _ reader: ByteReader, at offset: Int, limit: Int
    ) throws -> (String, Range<Int>, Int) {
        guard try reader.u32(offset) == centralHeaderSignature else {
            throw reader.fault("no central directory header at byte \(offset)")
        }
        let flags = try reader.u16(offset + 8)
        let method = Int(try reader.u16(offset + 10))
        var compressedSize = Int(try reader.u32(offset + 20))
        var size = Int(try reader.u32(offset + 24))
        let nameLength = Int(try reader.u16(offset + 28))
        let extraLength = Int(try reader.u16(offset + 30))
        let commentLength = Int(try reader.u16(offset + 32))
        var localOffset = Int(try reader.u32(offset + 42))
        let nameStart = offset + 46
        let next = nameStart + nameLength + extraLength + commentLength
        guard next <= limit else { throw reader.fault("central directory entry overruns it") }
        let name = String(decoding: try reader.slice(nameStart, nameLength), as: UTF8.self)
        guard method == 0, flags & 1 == 0 else {
            throw TorchCheckpointError(
                path: reader.path, .compressedEntry(name: name, method: method))
        }
        // The zip64 extra field (id 1) holds, in order, whichever of the three were saturated.
        var extra = nameStart + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            let id = try reader.u16(extra)
            let length = Int(try reader.u16(extra + 2))
            var field = extra + 4
            guard field + length <= extraEnd else { throw reader.fault("extra field overruns") }
            if id == 1 {
                var fields = [size, compressedSize, localOffset]
                for index in fields.indices where fields[index] == 0xFFFF_FFFF {
                    guard field + 8 <= extra + 4 + length else {
                        throw reader.fault("zip64 extra field of '\(name)' is too short")
                    }
                    fields[index] = try reader.offset(try reader.u64(field))
                    field += 8
                }
                (size, compressedSize, localOffset) = (fields[0], fields[1], fields[2])
            }
            extra += 4 + length
        }
        guard compressedSize == size else {
            throw reader.fault("stored entry '\(name)' has sizes \(compressedSize) ≠ \(size)")
        }
        guard try reader.u32(localOffset) == localHeaderSignature else {
            throw reader.fault("entry '\(name)': no local header at byte \(localOffset)")
        }
        let dataStart =
            localOffset + 30 + Int(try reader.u16(localOffset + 26))
            + Int(try reader.u16(localOffset + 28))
        guard dataStart <= limit, size <= limit - dataStart else {
            throw reader.fault(
                "entry '\(name)' data [\(dataStart), +\(size)) runs past the central directory")
        }
        return (name, dataStart..<(dataStart + size), next)
    }
}

/// Bounds-checked little-endian reads from a byte buffer; every miss is a malformed archive.
private struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let path: String

    func fault(_ reason: String) -> TorchCheckpointError {
        TorchCheckpointError(path: path, .malformedArchive(reason))
    }

    func slice(_ offset: Int, _ count: Int) throws -> UnsafeRawBufferPointer {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw fault("read of \(count) bytes at \(offset) past the \(bytes.count)-byte file")
        }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    func u16(_ offset: Int) throws -> UInt16 {
        UInt16(littleEndian: try slice(offset, 2).loadUnaligned(as: UInt16.self))
    }

    func u32(_ offset: Int) throws -> UInt32 {
        UInt32(littleEndian: try slice(offset, 4).loadUnaligned(as: UInt32.self))
    }

    func u64(_ offset: Int) throws -> UInt64 {
        UInt64(littleEndian: try slice(offset, 8).loadUnaligned(as: UInt64.self))
    }

    /// A 64-bit offset or size that must lie within the file.
    func offset(_ value: UInt64) throws -> Int {
        guard value <= UInt64(bytes.count) else {
            throw fault("offset or size \(value) exceeds the \(bytes.count)-byte file")
        }
        return Int(value)
    }
}
