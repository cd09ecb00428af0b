/// The 64-bit xxHash (XXH64, Yann Collet) of a byte stream, fed in pieces of any size.
///
/// A checkpoint stores the XXH64 of its tensor data so a reader can tell a complete file from a
/// damaged one. The digest equals the reference implementation's (`xxhash.xxh64(data).intdigest()`
/// in Python) for the same bytes and seed.
///
/// ```swift
/// var hasher = XXHash64()
/// hasher.update(header)
/// hasher.update(body)
/// let digest = hasher.finalize()
/// ```
public struct XXHash64: Sendable {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5
    /// Bytes consumed per step of the four accumulators.
    private static let stripeByteCount = 32

    private let seed: UInt64
    private var accumulators: (UInt64, UInt64, UInt64, UInt64)
    /// Bytes of an incomplete stripe, carried to the next ``update(_:)-(UnsafeRawBufferPointer)``.
    private var pending: [UInt8] = []
    private var totalByteCount: UInt64 = 0

    /// Starts a digest with `seed` (0, the reference's default, unless told otherwise).
    public init(seed: UInt64 = 0) {
        self.seed = seed
        accumulators = (
            seed &+ Self.prime1 &+ Self.prime2, seed &+ Self.prime2, seed, seed &- Self.prime1
        )
        pending.reserveCapacity(Self.stripeByteCount)
    }

    /// The digest of `bytes` alone.
    public static func digest(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var hasher = XXHash64(seed: seed)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of `bytes` alone.
    public static func digest(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { digest($0, seed: seed) }
    }

    /// Feeds `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        totalByteCount &+= UInt64(bytes.count)
        var start = 0
        if !pending.isEmpty {
            let taken = min(Self.stripeByteCount - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<taken])
            start = taken
            guard pending.count == Self.stripeByteCount else { return }
            pending.withUnsafeBytes { consumeStripes($0) }
            pending.removeAll(keepingCapacity: true)
        }
        let whole = (bytes.count - start) / Self.stripeByteCount * Self.stripeByteCount
        if whole > 0 {
            consumeStripes(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + whole)]))
        }
        pending.append(contentsOf: bytes[(start + whole)...])
    }

    /// Feeds `bytes`.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of everything fed so far (the hasher can go on being fed afterwards).
    public func finalize() -> UInt64 {
        var hash: UInt64
        if totalByteCount >= UInt64(Self.stripeByteCount) {
            let (v1, v2, v3, v4) = accumulators
            hash =
                rotateLeft(v1, 1) &+ rotateLeft(v2, 7) &+ rotateLeft(v3, 12)
                &+ rotateLeft(v4, 18)
            for value in [v1, v2, v3, v4] {
                hash ^= Self.round(0, value)
                hash = hash &* Self.prime1 &+ Self.prime4
            }
        } else {
            hash = seed &+ Self.prime5
        }
        hash &+= totalByteCount
        pending.withUnsafeBytes { tail in
            var offset = 0
            while offset + 8 <= tail.count {
                let lane = UInt64(
                    littleEndian: tail.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                hash ^= Self.round(0, lane)
                hash = rotateLeft(hash, 27) &* Self.prime1 &+ Self.prime4
                offset += 8
            }
            if offset + 4 <= tail.count {
                let word = UInt32(
                    littleEndian: tail.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                hash ^= UInt64(word) &* Self.prime1
                hash = rotateLeft(hash, 23) &* Self.prime2 &+ Self.prime3
                offset += 4
            }
            while offset < tail.count {
                hash ^= UInt64(tail[offset]) &* Self.prime5
                hash = rotateLeft(hash, 11) &* Self.prime1
                offset += 1
            }
        }
        hash ^= hash >> 33
        hash = hash &* Self.prime2
        hash ^= hash >> 29
        hash = hash &* Self.prime3
        hash ^= hash >> 32
        return hash
    }

    /// Runs the four accumulators over `bytes`, a whole number of 32-byte stripes.
    private mutating func consumeStripes(_ bytes: UnsafeRawBufferPointer) {
        var (v1, v2, v3, v4) = accumulators
        var offset = 0
        while offset < bytes.count {
            // Four independent lanes, so the multiplications overlap in the pipeline.
            v1 = Self.round(v1, Self.lane(bytes, offset))
            v2 = Self.round(v2, Self.lane(bytes, offset + 8))
            v3 = Self.round(v3, Self.lane(bytes, offset + 16))
            v4 = Self.round(v4, Self.lane(bytes, offset + 24))
            offset += Self.stripeByteCount
        }
        accumulators = (v1, v2, v3, v4)
    }

    @inline(__always)
    private static func lane(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        rotateLeft(accumulator &+ input &* prime2, 31) &* prime1
    }
}

@inline(__always)
private func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {
    (value << count) | (value >> (64 - count))
}
