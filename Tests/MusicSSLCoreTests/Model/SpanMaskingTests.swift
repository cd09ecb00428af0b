import MusicSSLTestSupport
import Testing

@Suite("Span masking (fairseq compute_mask_indices)")
struct SpanMaskingTests {
    /// Mean masked fraction over `trials` batches of `batch` rows.
    func meanFraction(_ masking: SpanMasking, frames: Int, batch: Int = 8, trials: Int = 150) throws -> Double {
        var generator = SplitMix64(seed: 2024)
        var masked = 0
        for _ in 0..<trials {
            masked += try masking.mask(batch: batch, frames: frames, frameLengths: nil, using: &generator)
                .filter { $0 }.count
        }
        return Double(masked) / Double(trials * batch * frames)
    }

    @Test("the realised masked fraction matches model-spec §2.3's simulation of fairseq")
    func realisedFractions() throws {
        // model-spec §2.3 simulated 300 batches of 8 (its ± is per batch); 150 batches keep the mean
        // within ±0.003 of the true value.
        let cases: [(SpanMasking, Int, Double)] = [
            (.hubert, 780, 0.530),
            (.data2vec, 500, 0.451),
            (.data2vec, 1500, 0.466),
            (.data2vec, 249, 0.436),
            (SpanMasking(probability: 0.8, spanLength: 5, minimumMasks: 2, countDraw: .perExample), 374, 0.549),
        ]
        for (masking, frames, expected) in cases {
            let fraction = try meanFraction(masking, frames: frames)
            #expect(abs(fraction - expected) < 0.01, "p \(masking.probability) L \(masking.spanLength) T \(frames): \(fraction)")
        }
    }

    @Test("every row masks the same number of frames and never the last frame")
    func equalCounts() throws {
        var generator = SplitMix64(seed: 3)
        for _ in 0..<50 {
            let flags = try SpanMasking.hubert.mask(batch: 6, frames: 100, frameLengths: nil, using: &generator)
            let counts = (0..<6).map { row in flags[(row * 100)..<(row * 100 + 100)].filter { $0 }.count }
            #expect(Set(counts).count == 1, "counts \(counts)")
            #expect((0..<6).allSatisfy { !flags[$0 * 100 + 99] })
        }
    }

    @Test("a fixed seed repeats the mask; another seed changes it")
    func seeded() throws {
        func draw(_ seed: UInt64) throws -> [Bool] {
            var generator = SplitMix64(seed: seed)
            return try SpanMasking.data2vec.mask(batch: 4, frames: 249, frameLengths: nil, using: &generator)
        }
        #expect(try draw(11) == draw(11))
        #expect(try draw(11) != draw(12))
    }

    @Test("padding is never masked and short rows set the common count")
    func padding() throws {
        var generator = SplitMix64(seed: 5)
        let lengths = [200, 120, 60]
        let flags = try SpanMasking.hubert.mask(batch: 3, frames: 200, frameLengths: lengths, using: &generator)
        for (row, length) in lengths.enumerated() {
            #expect(!flags[(row * 200 + length)..<(row * 200 + 200)].contains(true))
        }
        let counts = (0..<3).map { row in flags[(row * 200)..<(row * 200 + 200)].filter { $0 }.count }
        #expect(Set(counts).count == 1 && counts[0] > 0 && counts[0] < 60)
    }

    @Test("spans are contiguous runs of the span length where they do not overlap")
    func spanShape() throws {
        var generator = SplitMix64(seed: 9)
        // p small enough that spans rarely touch: every run is a multiple-free 10 most of the time.
        let masking = SpanMasking(probability: 0.05, spanLength: 10, minimumMasks: 1, countDraw: .perExample)
        var runs: [Int] = []
        for _ in 0..<50 {
            let flags = try masking.mask(batch: 1, frames: 400, frameLengths: nil, using: &generator)
            var run = 0
            for flag in flags + [false] {
                if flag { run += 1 } else if run > 0 { runs.append(run); run = 0 }
            }
        }
        #expect(runs.allSatisfy { $0 >= 10 }, "a span shorter than L: \(runs.filter { $0 < 10 })")
        #expect(Double(runs.filter { $0 == 10 }.count) / Double(runs.count) > 0.8)
    }

    @Test("bad settings and lengths throw instead of crashing")
    func badInput() {
        var generator = SplitMix64(seed: 1)
        #expect(throws: TensorError.self) {
            try SpanMasking(probability: 1.5, spanLength: 10).mask(batch: 1, frames: 10, frameLengths: nil, using: &generator)
        }
        #expect(throws: TensorError.self) {
            try SpanMasking(probability: 0.5, spanLength: 0).mask(batch: 1, frames: 10, frameLengths: nil, using: &generator)
        }
        #expect(throws: TensorError.self) {
            try SpanMasking.hubert.mask(batch: 2, frames: 10, frameLengths: [10], using: &generator)
        }
        // Too short for any span: no crash, nothing masked beyond what fits.
        let tiny = try? SpanMasking.hubert.mask(batch: 2, frames: 3, frameLengths: nil, using: &generator)
        #expect(tiny?.count == 6)
    }
}
