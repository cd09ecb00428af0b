import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// Bad input is refused with a ``MetricError`` that names the counts, shapes or values.
@Suite("metric input errors")
struct MetricInputErrorTests {
    /// Runs `body`, expecting a ``MetricError`` whose message contains every fragment.
    func expectError(
        _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) {
        do {
            try body()
            Issue.record(
                "no error; expected one mentioning \(fragments)", sourceLocation: sourceLocation)
        } catch let error as MetricError {
            for fragment in fragments {
                #expect(
                    error.description.contains(fragment), "'\(error)' lacks '\(fragment)'",
                    sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("accuracy: empty, mismatched, out-of-range, NaN")
    func accuracy() throws {
        let logits = try ScoreMatrix(rows: [[0.1, 0.2], [0.3, .nan]])
        expectError(["[accuracy]", "empty"]) {
            _ = try MulticlassAccuracy(logits: try ScoreMatrix(rows: []), labels: [])
        }
        expectError(["expected 2, found 3"]) {
            _ = try MulticlassAccuracy(logits: logits, labels: [0, 1, 1])
        }
        expectError(["item 1, class 1", "nan"]) {
            _ = try MulticlassAccuracy(logits: logits, labels: [0, 1])
        }
        expectError(["label 2 of item 0", "0..<2"]) {
            _ = try MulticlassAccuracy(logits: try ScoreMatrix(rows: [[1, 2]]), labels: [2])
        }
        expectError(["row 1 length", "expected 2, found 1"]) {
            _ = try ScoreMatrix(rows: [[1, 2], [3]])
        }
        expectError(["expected shape [any, any]", "[2, 2, 2]"]) {
            _ = try ScoreMatrix(
                try Tensor(shape: [2, 2, 2], scalars: [Float](repeating: 0, count: 8)))
        }
    }

    @Test("ranking: shape mismatch, non-binary targets, infinite scores, all labels degenerate")
    func ranking() throws {
        let scores = try ScoreMatrix(rows: [[0.1, 0.2], [0.3, 0.4]])
        let targets = try MultiHotLabels(rows: [[true, false], [false, true]])
        expectError(["expected shape [2, 2], found [1, 2]"]) {
            _ = try MultilabelRankingScores(
                scores: scores, targets: try MultiHotLabels(rows: [[true, false]]))
        }
        expectError(["item 1, label 0", "0.5", "0 or 1"]) {
            _ = try MultiHotLabels(try ScoreMatrix(rows: [[1, 0], [0.5, 1]]))
        }
        expectError(["item 0, label 1", "inf"]) {
            _ = try MultilabelRankingScores(
                scores: try ScoreMatrix(rows: [[0.1, .infinity], [0.3, 0.4]]), targets: targets)
        }
        expectError(["all 2 labels are degenerate"]) {
            _ = try MultilabelRankingScores(
                scores: scores, targets: try MultiHotLabels(rows: [[true, false], [true, false]]))
        }
        expectError(["[ranking-curve]", "expected 3, found 2"]) {
            _ = try BinaryRankingCurve(scores: [1, 2, 3], targets: [true, false])
        }
    }

    @Test("R²: one item, mismatched shapes, NaN targets")
    func r2() throws {
        let two = try ScoreMatrix(rows: [[1, 2], [3, 4]])
        expectError(["at least two items, got 1"]) {
            _ = try R2Score(
                predictions: try ScoreMatrix(rows: [[1, 2]]),
                targets: try ScoreMatrix(rows: [[1, 2]]))
        }
        expectError(["expected shape [2, 2], found [2, 1]"]) {
            _ = try R2Score(predictions: two, targets: try ScoreMatrix(rows: [[1], [2]]))
        }
        expectError(["target at item 1, output 0", "nan"]) {
            _ = try R2Score(
                predictions: two, targets: try ScoreMatrix(rows: [[1, 2], [.nan, 4]]))
        }
    }

    @Test("song fusion: wrong class count and song-id count")
    func fusion() throws {
        let logits = try ScoreMatrix(rows: [[0.1, 0.2, 0.3]])
        expectError(["expected shape [1, 24], found [1, 3]"]) {
            _ = try SongKeyEvaluation(clipLogits: logits, clipLabels: [0], songIDs: ["a"])
        }
        expectError(["song ids", "expected 1, found 2"]) {
            _ = try SongKeyEvaluation(
                clipLogits: logits, clipLabels: [0], songIDs: ["a", "b"],
                classes: Array(MusicalKey.marbleClasses.prefix(3)))
        }
    }

    @Test("beats: unsorted, beyond 30,000 s, NaN (even before 5 s), no tracks, negative window")
    func beats() throws {
        expectError(["track 0 estimated beats", "time 2 is before time 1"]) {
            _ = try BeatEvaluation(tracks: [BeatTrack(reference: [6, 7], estimated: [6, 8, 7])])
        }
        expectError(["reference beats", "40000"]) {
            _ = try BeatFMeasure.counts(reference: [6, 40_000], estimated: [6])
        }
        expectError(["track 1 reference beats, time 0", "nan"]) {
            _ = try BeatEvaluation(tracks: [
                BeatTrack(reference: [6], estimated: [6]),
                BeatTrack(reference: [.nan, 6], estimated: [6]),
            ])
        }
        expectError(["track list is empty"]) { _ = try BeatEvaluation(tracks: []) }
        expectError(["window must be finite and ≥ 0 s, got -0.1"]) {
            _ = try EventMatching.maximumMatching(reference: [1], estimated: [1], window: -0.1)
        }
        expectError(["[beat-f-measure]", "got nan"]) {
            _ = try BeatEvaluation(
                tracks: [BeatTrack(reference: [], estimated: [6])],
                method: .init(aggregation: .micro, trimBeforeSeconds: nil, window: .nan))
        }
    }
}
