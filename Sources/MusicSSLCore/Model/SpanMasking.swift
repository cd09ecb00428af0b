/// fairseq's pre-training span masking (`compute_mask_indices` as HuBERT, data2vec, Music2vec
/// and MERT were trained with it): spans of ``spanLength`` frames start at random distinct
/// frames, overlapping spans merge, and every example ends with the same number of masked
/// frames.
///
/// Per example (model-spec §2.1): `num = max(minimumMasks, ⌊p·T/L + U⌋)` with U uniform in
/// [0, 1) ("probabilistic rounding"); `num` distinct starts are drawn from `[0, T − L − 1]`, so
/// the last frame is never masked; then rows with more masked frames than the smallest drop a
/// random subset of theirs. `p·T/L` counts spans, not frames, so overlaps make the realised
/// fraction smaller than p: about 0.53 for p = 0.8, L = 10, T = 780.
///
/// Row `r` draws from its own stream (seeded by one draw from the caller's generator and `r`'s
/// index in the global batch) and the smallest count is taken over the global batch, so a
/// ``BatchShard`` of rows gets the flags those rows get in the whole batch.
///
/// ```swift
/// var generator = SplitMix64(seed: 1)
/// let mask = try SpanMasking.hubert.mask(batch: 2, frames: 249, frameLengths: nil, using: &generator)
/// ```
public struct SpanMasking: MaskingStrategy, Codable, Equatable, Sendable {
    /// How the span count's uniform draw U is shared.
    public enum CountDraw: String, Codable, Sendable {
        /// A fresh U for each example, over its unpadded length (fairseq's branch when the data
        /// set passes a padding mask, as HuBERT's always does).
        case perExample
        /// One U for the whole batch, over the padded length (data2vec's branch, whose batches
        /// carry no padding mask).
        case perBatch
    }

    /// Mask probability p (a span count, see the type's description).
    public var probability: Double
    /// Span length L in frames.
    public var spanLength: Int
    /// Fewest spans per example.
    public var minimumMasks: Int
    /// Whether each example draws its own rounding.
    public var countDraw: CountDraw

    /// HuBERT base / MusicHuBERT: p 0.8, L 10, at least 2 spans, per-example draws.
    public static let hubert = SpanMasking(probability: 0.8, spanLength: 10, minimumMasks: 2, countDraw: .perExample)
    /// data2vec base / Music2vec: p 0.65, L 10, at least 1 span, one draw per batch.
    public static let data2vec = SpanMasking(probability: 0.65, spanLength: 10, minimumMasks: 1, countDraw: .perBatch)

    /// Creates a masking; ``mask(batch:frames:frameLengths:using:)`` checks the values.
    public init(probability: Double, spanLength: Int, minimumMasks: Int = 1, countDraw: CountDraw = .perExample) {
        self.probability = probability
        self.spanLength = spanLength
        self.minimumMasks = minimumMasks
        self.countDraw = countDraw
    }

    public func mask(
        batch: Int, frames: Int, frameLengths: [Int]?,
        using generator: inout some RandomNumberGenerator
    ) throws -> [Bool] {
        try mask(batch: batch, frames: frames, frameLengths: frameLengths, shard: nil, using: &generator)
    }

    public func mask(
        batch: Int, frames: Int, frameLengths: [Int]?, shard: BatchShard?,
        using generator: inout some RandomNumberGenerator
    ) throws -> [Bool] {
        let op = "SpanMasking"
        guard probability >= 0, probability <= 1, spanLength >= 1, minimumMasks >= 0 else {
            throw TensorError(
                op, "needs 0 ≤ probability ≤ 1, span length ≥ 1 and minimum masks ≥ 0; got p "
                    + "\(probability), L \(spanLength), minimum \(minimumMasks)")
        }
        guard batch >= 0, frames >= 0 else {
            throw TensorError(op, "batch \(batch) and frames \(frames) must not be negative")
        }
        if let frameLengths {
            guard frameLengths.count == batch, frameLengths.allSatisfy({ $0 >= 0 && $0 <= frames }) else {
                throw TensorError(op, "frame lengths \(frameLengths) for \(batch) examples of \(frames) frames")
            }
        }
        let shard = shard ?? .whole(rows: batch)
        guard shard.rows.count == batch else {
            throw TensorError(op, "batch shard \(shard.rows) holds \(shard.rows.count) rows, the batch \(batch)")
        }
        // Two draws from the caller's generator whatever the shard: the shared count and the
        // seed of the rows' streams.
        let sharedCount = spanCount(length: frames, using: &generator)
        let rowSeed = generator.next()
        var indices: [[Int]] = []
        var rowGenerators: [SplitMix64] = []
        indices.reserveCapacity(batch)
        for example in 0..<batch {
            var rowGenerator = SplitMix64(seed: rowSeed, index: UInt64(shard.rows.lowerBound + example))
            let length = frameLengths?[example] ?? frames
            let count = countDraw == .perExample ? spanCount(length: length, using: &rowGenerator) : sharedCount
            indices.append(spanFrames(length: length, spans: count, using: &rowGenerator))
            rowGenerators.append(rowGenerator)
        }
        // Equal masked counts: rows above the global batch's smallest keep a random subset.
        let smallest = try shard.minimumAcrossShards(indices.map(\.count).min() ?? Int.max)
        var flags = [Bool](repeating: false, count: batch * frames)
        for (example, frameIndices) in indices.enumerated() {
            let kept = frameIndices.count > smallest
                ? Self.distinctSample(of: frameIndices.count, count: smallest, using: &rowGenerators[example])
                    .map { frameIndices[$0] }
                : frameIndices
            for frame in kept { flags[example * frames + frame] = true }
        }
        return flags
    }

    /// `max(minimumMasks, ⌊p·length/L + U⌋)`.
    private func spanCount(length: Int, using generator: inout some RandomNumberGenerator) -> Int {
        let uniform = Double.random(in: 0..<1, using: &generator)
        return Swift.max(minimumMasks, Int(probability * Double(length) / Double(spanLength) + uniform))
    }

    /// The sorted, merged frames of `spans` spans in an example of `length` frames.
    private func spanFrames(length: Int, spans: Int, using generator: inout some RandomNumberGenerator) -> [Int] {
        guard length > 0, spans > 0 else { return [] }
        var reach = spanLength
        if length - reach <= spans { reach = length - spans - 1 }
        let startCount = length - reach
        guard startCount > 0 else { return [] }
        let starts = Self.distinctSample(of: startCount, count: Swift.min(spans, startCount), using: &generator)
        var masked = [Bool](repeating: false, count: length)
        for start in starts {
            for frame in start..<Swift.min(start + spanLength, length) { masked[frame] = true }
        }
        return masked.indices.filter { masked[$0] }
    }

    /// `count` distinct integers drawn uniformly from `0..<population` (numpy's
    /// `choice(population, count, replace=False)`), by a partial Fisher–Yates shuffle.
    static func distinctSample(
        of population: Int, count: Int, using generator: inout some RandomNumberGenerator
    ) -> [Int] {
        var pool = Array(0..<population)
        let count = Swift.min(count, population)
        for i in 0..<count {
            let j = Int.random(in: i..<population, using: &generator)
            pool.swapAt(i, j)
        }
        return Array(pool[..<count])
    }
}
