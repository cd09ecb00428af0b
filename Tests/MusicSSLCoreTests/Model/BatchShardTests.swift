import MusicSSLTestSupport
import Testing

/// A shard of rows draws what the whole batch draws for those rows: dropout, attention dropout
/// and span masks (data-parallel training rests on it).
@Suite("Batch shards")
struct BatchShardTests {
    /// Rows `rows` of a row-major `[batch, …]` array of `perRow` elements per row.
    func rows(_ values: [Float], _ rows: Range<Int>, perRow: Int) -> [Float] {
        Array(values[rows.lowerBound * perRow..<rows.upperBound * perRow])
    }

    @Test("dropout of rows 3..<5 under their shard equals those rows of the whole batch's dropout")
    func dropoutShard() throws {
        // 5 rows of 40 000 elements: the shard starts inside a 65 536-element block.
        var generator = SplitMix64(seed: 5)
        let whole = Tensor.randomUniform([5, 200, 200], lowerBound: 1, upperBound: 2, using: &generator)
        var wholeGenerator = SplitMix64(seed: 9), shardGenerator = SplitMix64(seed: 9)
        let expected = try dropout(whole, probability: 0.3, using: &wholeGenerator).scalars
        let part = try Tensor(shape: [2, 200, 200], scalars: rows(whole.scalars, 3..<5, perRow: 40_000))
        let shard = BatchShard(rows: 3..<5, globalRowCount: 5)
        let actual = try BatchShard.$current.withValue(shard) {
            try dropout(part, probability: 0.3, using: &shardGenerator)
        }
        #expect(actual.scalars == rows(expected, 3..<5, perRow: 40_000))
        #expect(wholeGenerator == shardGenerator, "one draw from the caller's generator either way")
        // Without the shard, the same rows draw another mask.
        var plain = SplitMix64(seed: 9)
        #expect(try dropout(part, probability: 0.3, using: &plain).scalars != actual.scalars)
    }

    @Test("a tensor that does not split into the shard's rows is refused")
    func unevenTensor() throws {
        var generator = SplitMix64(seed: 1)
        let shard = BatchShard(rows: 2..<5, globalRowCount: 6)
        #expect(throws: TensorError.self) {
            try BatchShard.$current.withValue(shard) {
                try dropout(Tensor.ones([10]), probability: 0.5, using: &generator)
            }
        }
    }

    @Test("attention dropout of rows 1..<3 under their shard equals those rows of the whole batch")
    func attentionShard() throws {
        var generator = SplitMix64(seed: 6)
        let (q, k, v) = (
            Tensor.randomNormal([3, 2, 7, 4], using: &generator), Tensor.randomNormal([3, 2, 7, 4], using: &generator),
            Tensor.randomNormal([3, 2, 7, 4], using: &generator)
        )
        var wholeGenerator = SplitMix64(seed: 2), shardGenerator = SplitMix64(seed: 2)
        let expected = try scaledDotProductAttention(
            query: q, key: k, value: v, dropoutProbability: 0.4, using: &wholeGenerator).scalars
        let slice = { (t: Tensor) in try Tensor(shape: [2, 2, 7, 4], scalars: self.rows(t.scalars, 1..<3, perRow: 56)) }
        let actual = try BatchShard.$current.withValue(BatchShard(rows: 1..<3, globalRowCount: 3)) {
            try scaledDotProductAttention(
                query: slice(q), key: slice(k), value: slice(v), dropoutProbability: 0.4, using: &shardGenerator)
        }
        #expect(actual.scalars == rows(expected, 1..<3, perRow: 56))
    }

    @Test(
        "span masks of two shards, their common count reduced, equal the whole batch's",
        arguments: [SpanMasking.hubert, SpanMasking.data2vec])
    func maskShards(masking: SpanMasking) throws {
        var wholeGenerator = SplitMix64(seed: 12)
        let expected = try masking.mask(batch: 6, frames: 99, frameLengths: nil, using: &wholeGenerator)
        // Each shard's smallest count first (the all-reduce's inputs), then the masks.
        let minima = Minima()
        for rows in [0..<3, 3..<6] {
            var generator = SplitMix64(seed: 12)
            let recording = BatchShard(rows: rows, globalRowCount: 6) { minima.record($0) }
            _ = try masking.mask(batch: 3, frames: 99, frameLengths: nil, shard: recording, using: &generator)
        }
        let smallest = minima.smallest
        var actual: [Bool] = []
        for rows in [0..<3, 3..<6] {
            var generator = SplitMix64(seed: 12)
            let shard = BatchShard(rows: rows, globalRowCount: 6) { _ in smallest }
            actual += try masking.mask(batch: 3, frames: 99, frameLengths: nil, shard: shard, using: &generator)
            #expect(generator == wholeGenerator, "the caller's generator is consumed alike")
        }
        #expect(actual == expected)
        let counts = (0..<6).map { row in actual[row * 99..<(row + 1) * 99].filter { $0 }.count }
        #expect(Set(counts).count == 1)
    }
}

/// The values a shard's all-reduce was asked to reduce.
private final class Minima: @unchecked Sendable {
    private(set) var smallest = Int.max

    func record(_ value: Int) -> Int {
        smallest = Swift.min(smallest, value)
        return value
    }
}
