import MusicSSLTestSupport
import Testing

@testable import MusicSSLProbe

/// Beat F-measure and event matching against mir_eval, and Hopcroft–Karp against an
/// independent augmenting-path matcher.
@Suite("beat F-measure")
struct BeatFMeasureTests {
    @Test(
        "match counts and F-measures equal mir_eval's, untrimmed (f_measure) and trimmed (evaluate)"
    )
    func matchesMirEval() throws {
        for reference in try ProbeMetricFixture.load().beat {
            let counts = try BeatFMeasure.counts(
                reference: reference.reference, estimated: reference.estimated)
            #expect(counts.matchCount == reference.matches, "\(reference.name)")
            expectNear(counts.fMeasure, reference.f_measure, tolerance: 1e-12, reference.name)
            expectNear(
                try BeatFMeasure.fMeasure(
                    reference: reference.reference, estimated: reference.estimated),
                reference.f_measure, tolerance: 1e-12, reference.name)

            let trimmed = try BeatEvaluation(
                tracks: [BeatTrack(reference: reference.reference, estimated: reference.estimated)])
            #expect(
                trimmed.perTrack[0].matchCount == reference.trimmed_matches, "\(reference.name)")
            expectNear(
                trimmed.fMeasure, reference.trimmed_f_measure, tolerance: 1e-12,
                reference.name + " (trimmed)")
        }
    }

    @Test("over a test set, mir_eval's per-track mean and MARBLE's pooled F match their references")
    func testSets() throws {
        for reference in try ProbeMetricFixture.load().beat_sets {
            let tracks = reference.tracks.map {
                BeatTrack(reference: $0.reference, estimated: $0.estimated)
            }
            let mirEval = try BeatEvaluation(tracks: tracks)
            #expect(mirEval.method == .mirEval)
            expectNear(
                mirEval.fMeasure, reference.mir_eval_mean_f, tolerance: 1e-12, reference.name)
            let marble = try BeatEvaluation(tracks: tracks, method: .marble)
            expectNear(
                marble.fMeasure, reference.marble_pooled_f, tolerance: 1e-12, reference.name)
            #expect(
                [
                    marble.pooled.matchCount, marble.pooled.referenceCount,
                    marble.pooled.estimatedCount,
                ] == reference.pooled_counts)
            print(
                "\(reference.name): mir_eval mean F \(mirEval.fMeasure), MARBLE pooled F \(marble.fMeasure) (\(marble.method))"
            )
        }
    }

    @Test("the matching is maximum where nearest-first greedy is not")
    func greedyCounterexample() throws {
        // 6.06 is nearer 6.1 than 6.0; greedy would take that pair and strand 6.16.
        let matches = try EventMatching.maximumMatching(
            reference: [6.0, 6.1], estimated: [6.06, 6.16], window: 0.07)
        #expect(
            matches == [
                EventMatch(reference: 0, estimated: 0), EventMatch(reference: 1, estimated: 1),
            ])
    }

    @Test(
        "Hopcroft–Karp finds matchings as large as a simple augmenting-path search on random graphs"
    )
    func hopcroftKarpSize() throws {
        var generator = SplitMix64(seed: 11)
        for trial in 0..<300 {
            let leftCount = Int.random(in: 0...12, using: &generator)
            let rightCount = Int.random(in: 0...12, using: &generator)
            let density = Double.random(in: 0.05...0.6, using: &generator)
            let adjacency = (0..<leftCount).map { _ in
                (0..<rightCount).filter { _ in Double.random(in: 0..<1, using: &generator) < density
                }
            }
            let partners = EventMatching.maximumBipartiteMatching(
                adjacency: adjacency, rightCount: rightCount)
            // A valid matching: edges of the graph, each right vertex used once.
            let used = partners.compactMap { $0 }
            #expect(Set(used).count == used.count, "trial \(trial)")
            for (left, right) in partners.enumerated() {
                if let right { #expect(adjacency[left].contains(right), "trial \(trial)") }
            }
            #expect(used.count == Self.kuhnMatchingSize(adjacency, rightCount), "trial \(trial)")
        }
    }

    @Test("20,000 beats whose windows overlap in one long chain are all matched")
    func longChain() throws {
        // Each estimate lies within the window of two references (0.0501 s after one, 0.0499 s
        // before the next): one connected component the length of the list.
        let reference = (0..<20_000).map { 5 + 0.1 * Double($0) }
        let estimated = (0..<20_000).map { 5.0501 + 0.1 * Double($0) }
        let counts = try BeatFMeasure.counts(
            reference: reference, estimated: estimated, window: 0.07)
        #expect(counts.matchCount == 20_000)
    }

    @Test("counts pool by addition and an empty list scores 0")
    func countsAlgebra() throws {
        let first = BeatMatchCounts(matchCount: 3, referenceCount: 4, estimatedCount: 5)
        let second = BeatMatchCounts(matchCount: 1, referenceCount: 2, estimatedCount: 0)
        #expect(
            first + second == BeatMatchCounts(matchCount: 4, referenceCount: 6, estimatedCount: 5))
        #expect(second.fMeasure == 0 && BeatMatchCounts.zero.fMeasure == 0)
        expectNear(first.fMeasure, 2 * 0.6 * 0.75 / 1.35, tolerance: 1e-15, "F")
        #expect(BeatFMeasure.trimmed([1, 4.999, 5, 7]) == [5, 7])
        #expect(BeatEvaluation.Method.marble.description == "micro-pooled F, no trimming, ±0.07 s")
    }

    /// Maximum matching size by Kuhn's augmenting paths from each left vertex in turn.
    static func kuhnMatchingSize(_ adjacency: [[Int]], _ rightCount: Int) -> Int {
        var partner = [Int?](repeating: nil, count: rightCount)
        func tryAugment(_ left: Int, _ visited: inout [Bool]) -> Bool {
            for right in adjacency[left] where !visited[right] {
                visited[right] = true
                let augments = partner[right].map { tryAugment($0, &visited) } ?? true
                if augments {
                    partner[right] = left
                    return true
                }
            }
            return false
        }
        var size = 0
        for left in adjacency.indices {
            var visited = [Bool](repeating: false, count: rightCount)
            if tryAugment(left, &visited) { size += 1 }
        }
        return size
    }
}
