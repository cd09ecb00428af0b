// Inverted dropout. The keep/drop decisions come from a `DropoutMask`: one 64-bit seed drawn
// from the caller's generator and a counter-based hash of each element's index. Blocks are
// fixed in size, so the mask does not depend on the thread count, and the pullback regenerates
// it from the seed instead of storing it. Inside a sharded pass (`BatchShard.current`) the index
// is the element's index in the global batch, so a process holding rows 4..<8 draws what one
// process holding all rows draws for them.

/// Zeroes each element with probability `probability` and scales the survivors by
/// 1 / (1 − `probability`), so that the expectation is unchanged (torch.nn.functional.dropout in
/// training mode).
///
/// `probability` 0 returns `x` itself and draws nothing from `generator`; 1 gives zeros, as torch.
/// The same generator state gives the same mask.
///
/// - Parameters:
///   - x: any shape.
///   - probability: chance of zeroing an element, in [0, 1].
///   - generator: source of the mask's seed (one 64-bit draw).
/// - Returns: a tensor of `x.shape`.
/// - Throws: ``TensorError`` when `probability` is outside [0, 1].
public func dropout(
    _ x: Tensor, probability: Float, using generator: inout some RandomNumberGenerator
) throws -> Tensor {
    guard probability >= 0, probability <= 1 else {
        throw TensorError("dropout", "probability must be in [0, 1], got \(probability)")
    }
    if probability == 0 { return x }
    let mask = DropoutMask(probability: probability, seed: generator.next())
    let count = x.count
    // Element i of x is element offset + i of the global batch (BatchShard), whose hash keys
    // its draw; blocks are the global batch's.
    let offset = try BatchShard.globalOffset(ofElementCount: count, operation: "dropout")
    let firstBlock = offset / DropoutMask.blockSize
    let blocks = (offset &+ count &+ DropoutMask.blockSize &- 1) / DropoutMask.blockSize &- firstBlock
    let source = x.base
    /// Applies the mask to the part of `block` (a global block index) inside x.
    let applyBlock = { (block: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) in
        let blockStart = block &* DropoutMask.blockSize
        let start = Swift.max(blockStart, offset)
        let end = Swift.min(blockStart &+ DropoutMask.blockSize, offset &+ count)
        mask.apply(
            block: block, from: start &- blockStart, input + (start &- offset), output + (start &- offset),
            end &- start)
    }
    let out = Tensor.filling(x.shape) { y in
        parallelChunks(blocks, cost: DropoutMask.blockSize) { range in
            for block in range { applyBlock(firstBlock &+ block, source, y) }
        }
    }
    return Tensor.recording("dropout", out, inputs: [x]) { g, _ in
        let upstream = g.base
        return [
            Tensor.filling(x.shape) { d in
                parallelChunks(blocks, cost: DropoutMask.blockSize) { range in
                    for block in range { applyBlock(firstBlock &+ block, upstream, d) }
                }
            }
        ]
    }
}

/// A reproducible dropout mask, counter-based so that it vectorises and needs no stored state:
/// element `i` of block `b` is dropped when hash(i; keys of b) < p·2³², the two 32-bit keys of a
/// block coming from a SplitMix64 stream seeded from (`seed`, `b`).
struct DropoutMask {
    /// Elements per block of ``dropout(_:probability:using:)``; attention uses one block per head.
    static let blockSize = 1 << 16

    /// Survivors' scale, 1 / (1 − p); 0 when p = 1, which zeroes even the rare "kept" draw.
    let keepScale: Float
    /// An element is dropped when its 32-bit hash is below this (p · 2³², saturated).
    let threshold: UInt32
    let seed: UInt64

    init(probability: Float, seed: UInt64) {
        keepScale = probability < 1 ? 1 / (1 - probability) : 0
        threshold = UInt32(clamping: UInt64(Double(probability) * 4_294_967_296))
        self.seed = seed
    }

    /// Writes `source[i] · keepScale` or 0 to `target[i]` for `n` elements of `block`, the
    /// first of which is element `first` of the block. `target` may alias `source`.
    @inline(__always)
    func apply(
        block: Int, from first: Int = 0, _ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>,
        _ n: Int
    ) {
        var keys = SplitMix64(
            seed: seed ^ (UInt64(truncatingIfNeeded: block) &* 0xD1B5_4A32_D192_ED03))
        let both = keys.next()
        let (firstKey, secondKey) = (
            UInt32(truncatingIfNeeded: both), UInt32(truncatingIfNeeded: both >> 32)
        )
        let (threshold, keepScale) = (self.threshold, self.keepScale)
        let start = UInt32(truncatingIfNeeded: first)
        for i in 0..<n {
            let bits = mix32(mix32((start &+ UInt32(truncatingIfNeeded: i)) &+ firstKey) ^ secondKey)
            target[i] = bits < threshold ? 0 : source[i] * keepScale
        }
    }
}

/// A 32-bit integer hash with full avalanche (Wellons's "lowbias32"); 8 lanes per AVX2 step.
@inline(__always)
private func mix32(_ value: UInt32) -> UInt32 {
    var x = value
    x ^= x >> 16
    x &*= 0x7FEB_352D
    x ^= x >> 15
    x &*= 0x846C_A68B
    x ^= x >> 16
    return x
}
