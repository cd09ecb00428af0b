/// GiantSteps key evaluation at song level: clip logits fused per song by every
/// ``KeyFusionStrategy``, each scored with the mean MIREX weighted score and accuracy over
/// songs, as MARBLE's `predict_result_ensemble` logs them (probe-spec §2.1).
///
/// MARBLE's validation monitor is ``bestScore`` (the best of the four strategies); the number it
/// reports for test is the test score of the strategy chosen on validation, which
/// ``KeyFusionSelection`` keeps.
///
/// ```swift
/// let valid = try SongKeyEvaluation(clipLogits: logits, clipLabels: labels, songIDs: songs)
/// print(valid.bestStrategy, valid.bestScore.weightedScore)
/// ```
///
/// Scores are computed in `Double`; MARBLE takes the `mean` strategy's softmax in Float32, which
/// can only matter when two classes' mean probabilities agree to about 1e-7.
public struct SongKeyEvaluation: Sendable, Equatable {
    /// Accuracy and mean weighted score over a set of predictions.
    public struct Score: Sendable, Equatable {
        /// Fraction of predictions equal to the label.
        public let accuracy: Double
        /// Mean MIREX weighted score (``MIREXKeyScore/weighted(reference:estimate:)``).
        public let weightedScore: Double
    }

    /// Each clip's argmax scored against its own label (MARBLE's `clip_score`, logged only).
    public let clip: Score
    /// The song-level score of each fusion strategy.
    public let fused: [KeyFusionStrategy: Score]
    /// Each song's label, songs in order of their first clip.
    public let songLabels: [Int]
    /// Each strategy's song predictions, in the order of ``songLabels``.
    public let songPredictions: [KeyFusionStrategy: [Int]]

    /// The strategy with the highest weighted score; the earliest in
    /// `KeyFusionStrategy.allCases` among equal ones (MARBLE compares with a strict `>`).
    public let bestStrategy: KeyFusionStrategy

    /// The score of ``bestStrategy`` (MARBLE's `best_ensemble_score`, GiantSteps' validation
    /// monitor).
    public let bestScore: Score

    /// Fuses and scores clip logits.
    ///
    /// - Parameters:
    ///   - clipLogits: `[clips, classes]` logits, one row per clip.
    ///   - clipLabels: Each clip's class index (a song's clips share their song's label).
    ///   - songIDs: Each clip's song; clips of a song need not be adjacent.
    ///   - classes: The key of each class index; MARBLE's 24 (``MusicalKey/marbleClasses``)
    ///     unless given.
    /// - Throws: ``MetricError`` when there are no clips, the counts disagree, a logit is not
    ///   finite, a label is out of range, or one song's clips carry different labels.
    public init<SongID: Hashable>(
        clipLogits: ScoreMatrix, clipLabels: [Int], songIDs: [SongID],
        classes: [MusicalKey] = MusicalKey.marbleClasses
    ) throws {
        let metric = "song-key"
        guard clipLogits.rowCount > 0 else { throw MetricError(metric, .empty("the clip list")) }
        guard !classes.isEmpty else { throw MetricError(metric, .empty("the class list")) }
        guard clipLogits.columnCount == classes.count else {
            throw MetricError(
                metric,
                .shapeMismatch(
                    "[clips, classes] logits", expected: [clipLogits.rowCount, classes.count],
                    found: [clipLogits.rowCount, clipLogits.columnCount]))
        }
        for (what, count) in [("clip labels", clipLabels.count), ("song ids", songIDs.count)]
        where count != clipLogits.rowCount {
            throw MetricError(
                metric, .countMismatch(what, expected: clipLogits.rowCount, found: count))
        }
        try clipLogits.requireFinite(metric: metric, what: "logit", columnName: "class")
        if let clip = clipLabels.firstIndex(where: { !classes.indices.contains($0) }) {
            throw MetricError(
                metric,
                .labelOutOfRange(item: clip, label: clipLabels[clip], classCount: classes.count))
        }

        // Group clips by song, songs in order of first appearance.
        var songIndex: [SongID: Int] = [:]
        var songClips: [[Int]] = []
        var songLabels: [Int] = []
        for (clip, song) in songIDs.enumerated() {
            if let index = songIndex[song] {
                guard songLabels[index] == clipLabels[clip] else {
                    throw MetricError(
                        metric,
                        .inconsistentSongLabel(
                            song: "\(song)", first: songLabels[index], second: clipLabels[clip]))
                }
                songClips[index].append(clip)
            } else {
                songIndex[song] = songClips.count
                songClips.append([clip])
                songLabels.append(clipLabels[clip])
            }
        }

        func score(predictions: [Int], labels: [Int]) -> Score {
            let correct = zip(predictions, labels).filter { $0.0 == $0.1 }.count
            let total = zip(predictions, labels).reduce(0.0) {
                $0 + MIREXKeyScore.weighted(reference: classes[$1.1], estimate: classes[$1.0])
            }
            return Score(
                accuracy: Double(correct) / Double(labels.count),
                weightedScore: total / Double(labels.count))
        }

        clip = score(predictions: try clipLogits.rowArgmax(), labels: clipLabels)
        let results = KeyFusionStrategy.allCases.map { strategy in
            let predictions = songClips.map { clips in
                strategy.fuse(clips.map { clipLogits.row($0) })
            }
            return (strategy, predictions, score(predictions: predictions, labels: songLabels))
        }
        var best = 0
        for index in results.indices
        where results[index].2.weightedScore > results[best].2.weightedScore {
            best = index
        }
        bestStrategy = results[best].0
        bestScore = results[best].2
        let fused = Dictionary(uniqueKeysWithValues: results.map { ($0.0, $0.2) })
        let songPredictions = Dictionary(uniqueKeysWithValues: results.map { ($0.0, $0.1) })
        self.fused = fused
        self.songLabels = songLabels
        self.songPredictions = songPredictions
    }
}
