import MusicSSLTestSupport
import MusicSSLTrain
import Testing

@Suite("XXH64")
struct XXHash64Tests {
    /// Digests from the reference implementation (Python `xxhash.xxh64(data).hexdigest()`,
    /// xxhash 3.x), covering the empty input, tails of 1 to 7 bytes and whole stripes.
    static let references: [(bytes: [UInt8], digest: UInt64)] = [
        ([], 0xEF46_DB37_51D8_E999),
        (Array("a".utf8), 0xD24E_C4F1_A98C_6E5B),
        (Array("abc".utf8), 0x44BC_2CF5_AD77_0999),
        (
            Array(repeating: Array("0123456789abcdef".utf8), count: 2).flatMap { $0 },
            0x642A_9495_8E71_E6C5
        ),
        (
            Array(repeating: Array("0123456789abcdef".utf8), count: 2).flatMap { $0 }
                + Array("0123456".utf8), 0xE97F_503D_2686_3ECD
        ),
        (
            Array(repeating: (0...255).map { UInt8($0) }, count: 3).flatMap { $0 }
                + Array("xyz".utf8), 0xE921_A1B4_5BD7_79F8
        ),
    ]

    @Test("digests match the reference implementation")
    func matchesReference() {
        for (bytes, digest) in Self.references {
            #expect(XXHash64.digest(bytes) == digest, "\(bytes.count) bytes")
        }
    }

    @Test("feeding in pieces of any size gives the one-shot digest")
    func piecewiseEqualsOneShot() {
        let bytes = Self.references.last!.bytes
        for pieceSize in [1, 3, 7, 31, 32, 33, 100] {
            var hasher = XXHash64()
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + pieceSize)
                hasher.update(Array(bytes[start..<end]))
                start = end
            }
            #expect(hasher.finalize() == 0xE921_A1B4_5BD7_79F8, "pieces of \(pieceSize)")
        }
    }
}
