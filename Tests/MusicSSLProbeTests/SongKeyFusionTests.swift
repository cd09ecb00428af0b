import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// GiantSteps song-level fusion against the generator's rendering of MARBLE's evaluation.
@Suite("GiantSteps song fusion")
struct SongKeyFusionTests {
    @Test(
        "every strategy's song predictions, accuracy and weighted score, the clip score and the best strategy match the reference"
    )
    func matchesReference() throws {
        for reference in try ProbeMetricFixture.load().fusion {
            let evaluation = try SongKeyEvaluation(
                clipLogits: try ScoreMatrix(rows: reference.clip_logits),
                clipLabels: reference.clip_labels, songIDs: reference.song_ids)
            #expect(evaluation.songLabels == reference.song_labels, "\(reference.name)")
            for strategy in KeyFusionStrategy.allCases {
                let expected = try #require(reference.scores[strategy.rawValue])
                #expect(
                    evaluation.songPredictions[strategy]
                        == reference.predictions[strategy.rawValue],
                    "\(reference.name): \(strategy) predictions")
                let score = try #require(evaluation.fused[strategy])
                expectNear(score.accuracy, expected.accuracy, "\(reference.name) \(strategy)")
                expectNear(score.weightedScore, expected.weighted, "\(reference.name) \(strategy)")
            }
            let clip = try #require(reference.scores["clip"])
            expectNear(evaluation.clip.accuracy, clip.accuracy, "\(reference.name) clip")
            expectNear(evaluation.clip.weightedScore, clip.weighted, "\(reference.name) clip")
            #expect(
                evaluation.bestStrategy.rawValue == reference.best_strategy, "\(reference.name)")
        }
    }

    @Test("clip order within the list does not change the song-level scores")
    func clipOrder() throws {
        let reference = try #require(try ProbeMetricFixture.load().fusion.first)
        let logits = try ScoreMatrix(rows: reference.clip_logits)
        let base = try SongKeyEvaluation(
            clipLogits: logits, clipLabels: reference.clip_labels, songIDs: reference.song_ids)
        let order = Array(reference.song_ids.indices.reversed())
        let reversed = try SongKeyEvaluation(
            clipLogits: try ScoreMatrix(rows: order.map { reference.clip_logits[$0] }),
            clipLabels: order.map { reference.clip_labels[$0] },
            songIDs: order.map { reference.song_ids[$0] })
        #expect(reversed.fused == base.fused)
    }

    @Test(
        "validation selection keeps the strategy of the strictly best validation score and reports its test score"
    )
    func selection() throws {
        // One song labelled C major (class 0); each row sets a few classes, the rest are -5.
        func evaluation(_ rows: [[Int: Double]]) throws -> SongKeyEvaluation {
            let logits = rows.map { row in (0..<24).map { row[$0] ?? -5 } }
            return try SongKeyEvaluation(
                clipLogits: try ScoreMatrix(rows: logits),
                clipLabels: [Int](repeating: 0, count: rows.count),
                songIDs: [String](repeating: "x", count: rows.count))
        }
        var selection = KeyFusionSelection()
        // Clip argmaxes 7 and 0: vote ties → 0 (score 1); max → 7, G major, a fifth above (0.5).
        let test = try evaluation([[0: 0, 7: 3], [0: 2]])
        #expect(test.fused[.vote]?.weightedScore == 1)
        #expect(test.fused[.max]?.weightedScore == 0.5)
        #expect(selection.strategy == nil && selection.testScore(test) == nil)

        // vote, gmean and mean score 1, max 0.5: the first best, vote, is chosen.
        let first = try evaluation([[0: 1, 7: 4], [0: 3]])
        #expect(first.fused[.max]?.weightedScore == 0.5)
        #expect(first.bestStrategy == .vote && first.bestScore.weightedScore == 1)
        selection.observe(validation: first)
        #expect(selection.strategy == .vote && selection.validationScore == 1)
        #expect(selection.testScore(test) == 1)

        // Votes 7, 7, 0 → 7 (0.5); max and gmean → 0 (1): best is max, but its score only
        // equals the one already seen, so the choice stays vote (MARBLE compares with >).
        let tie = try evaluation([[0: 0, 7: 1], [0: 0, 7: 1], [0: 9]])
        #expect(tie.bestStrategy == .max && tie.bestScore.weightedScore == 1)
        selection.observe(validation: tie)
        #expect(selection.strategy == .vote)

        // A fresh selection adopts max from the same evaluation and reports max's test score.
        var other = KeyFusionSelection()
        other.observe(validation: tie)
        #expect(other.strategy == .max && other.testScore(test) == 0.5)
    }

    @Test("clips of one song with different labels are refused, naming the song")
    func inconsistentLabels() throws {
        let logits = try ScoreMatrix(
            rows: [[Double]](repeating: [Double](repeating: 0, count: 24), count: 2))
        #expect {
            try SongKeyEvaluation(clipLogits: logits, clipLabels: [0, 3], songIDs: [42, 42])
        } throws: { error in
            (error as? MetricError)?.fault
                == .inconsistentSongLabel(song: "42", first: 0, second: 3)
        }
    }
}
