import MusicSSLCore

/// Turns a split's item logits (the window logits averaged per item, probe-spec §1.3) into
/// ``TaskScores`` under the task's ``TaskMetric``, exactly as MARBLE's probers log them
/// (probe-spec §2.1):
///
/// | metric | values | monitor |
/// |---|---|---|
/// | accuracy | `accuracy` | `accuracy` |
/// | multilabelRanking | `roc_auc`, `average_precision`, `skipped_labels` | `roc_auc` |
/// | r2 | `r2_<output>` per output, `r2` (their mean) | `r2` |
/// | keyScore | `weighted_score`, `weighted_score_<strategy>`, `accuracy` (song), `clip_accuracy`, `clip_weighted_score` | `weighted_score` |
/// | beatFMeasure | `beat_f` (MARBLE micro, no trim), `beat_f_mir_eval`, `beat_precision`, `beat_recall` | `beat_f` |
///
/// For GiantSteps, validation's `weighted_score` is the best fusion strategy's song score and
/// the evaluator remembers that strategy (``KeyFusionSelection``); test's `weighted_score` is the
/// test score of that strategy, MARBLE's `ensemble_score_val-select`. Feed validation before
/// test.
///
/// ```swift
/// var evaluator = try TaskEvaluator(task: task)
/// let valid = try evaluator.validationScores(items: validItems, logits: validLogits)
/// let test = try evaluator.testScores(items: testItems, logits: testLogits)
/// ```
public struct TaskEvaluator {
    /// The task scored.
    public let task: ProbeTask
    /// What macro ranking scores do with labels that have only positives or only negatives.
    public let degenerateLabelPolicy: DegenerateLabelPolicy
    /// The decoder of beat activations (beat-tracking tasks only).
    public let beatDecoder: DBNBeatDecoder?
    /// The validation-chosen fusion strategy of a key task.
    public private(set) var keyFusionSelection = KeyFusionSelection()

    /// Creates an evaluator.
    ///
    /// - Parameters:
    ///   - task: The task.
    ///   - degenerateLabelPolicy: ``DegenerateLabelPolicy/skipDegenerate`` unless given.
    ///   - beatDecoder: madmom's `DBNBeatTrackingProcessor` defaults at the features' frame
    ///     rate, for a beat-tracking task (required there, ignored elsewhere).
    public init(
        task: ProbeTask, degenerateLabelPolicy: DegenerateLabelPolicy = .skipDegenerate,
        beatDecoder: DBNBeatDecoder? = nil
    ) throws {
        if task.metric == .beatFMeasure, beatDecoder == nil {
            throw ProbeError.invalidConfiguration(
                "beat-tracking task \(task.name) needs a DBN beat decoder")
        }
        self.task = task
        self.degenerateLabelPolicy = degenerateLabelPolicy
        self.beatDecoder = beatDecoder
    }

    /// Scores validation items and, for a key task, observes them for the fusion choice.
    ///
    /// - Parameters:
    ///   - items: The split's items, one per logit row.
    ///   - logits: `[items, outputs]` item logits.
    public mutating func validationScores(
        items: [TaskItem], logits: ScoreMatrix
    ) throws
        -> TaskScores
    {
        guard task.metric == .keyScore else { return try scores(items: items, logits: logits) }
        let evaluation = try keyEvaluation(items: items, logits: logits)
        keyFusionSelection.observe(validation: evaluation)
        return keyScores(evaluation, reported: evaluation.bestScore)
    }

    /// Scores test items; for a key task with the fusion strategy chosen on validation.
    public func testScores(items: [TaskItem], logits: ScoreMatrix) throws -> TaskScores {
        guard task.metric == .keyScore else { return try scores(items: items, logits: logits) }
        let evaluation = try keyEvaluation(items: items, logits: logits)
        let strategy = keyFusionSelection.strategy ?? evaluation.bestStrategy
        return keyScores(evaluation, reported: evaluation.fused[strategy] ?? evaluation.bestScore)
    }

    /// Scores every metric but the key score, which needs the validation/test distinction.
    func scores(items: [TaskItem], logits: ScoreMatrix) throws -> TaskScores {
        switch task.metric {
        case .accuracy:
            let labels = try items.map { try classIndex(of: $0) }
            let accuracy = try MulticlassAccuracy(logits: logits, labels: labels).value
            return TaskScores(monitor: accuracy, values: ["accuracy": accuracy])
        case .multilabelRanking:
            let targets = try multiHot(items: items, columnCount: logits.columnCount)
            let ranking = try MultilabelRankingScores(
                scores: logits, targets: targets, policy: degenerateLabelPolicy)
            return TaskScores(
                monitor: ranking.macroROCAUC,
                values: [
                    "roc_auc": ranking.macroROCAUC,
                    "average_precision": ranking.macroAveragePrecision,
                    "skipped_labels": Double(ranking.skippedLabels.count),
                ])
        case .r2:
            let rows = try items.map { item -> [Double] in
                guard case .values(let values) = item.label else {
                    throw ProbeError.invalidLabel(item: item.id, reason: "expected values")
                }
                return values
            }
            let r2 = try R2Score(predictions: logits, targets: try ScoreMatrix(rows: rows))
            var values = ["r2": r2.uniformAverage]
            let names = outputNames(count: r2.perOutput.count)
            for (name, value) in zip(names, r2.perOutput) { values["r2_\(name)"] = value }
            return TaskScores(monitor: r2.uniformAverage, values: values)
        case .keyScore:
            let evaluation = try keyEvaluation(items: items, logits: logits)
            return keyScores(evaluation, reported: evaluation.bestScore)
        case .beatFMeasure:
            throw ProbeError.invalidConfiguration(
                "beat F-measure is scored from beat activations (beatScores(items:activations:))")
        }
    }

    /// Scores beat tracking: decodes each item's beat activations with ``beatDecoder`` and
    /// compares them with the item's beats (probe-spec §2.1–2.2).
    ///
    /// `beat_f` is MARBLE's: counts pooled over items, no trimming, ±70 ms, references taken
    /// from the frame-quantised label grid (frame / fps in Float32). `beat_f_mir_eval` is
    /// mir_eval's per-item mean with beats before 5 s trimmed, against the annotated times.
    ///
    /// - Parameters:
    ///   - items: The split's items.
    ///   - activations: Each item's beat probability per frame.
    public func beatScores(items: [TaskItem], activations: [[Float]]) throws -> TaskScores {
        guard let beatDecoder else {
            throw ProbeError.invalidConfiguration("beat scores need a DBN beat decoder")
        }
        guard items.count == activations.count else {
            throw ProbeError.shape(
                component: "TaskEvaluator", expected: "\(items.count) activation sequences",
                found: [activations.count])
        }
        let framesPerSecond = beatDecoder.configuration.framesPerSecond
        var gridTracks: [BeatTrack] = []
        var annotatedTracks: [BeatTrack] = []
        for (item, activation) in zip(items, activations) {
            guard case .beats(let annotated) = item.label else {
                throw ProbeError.invalidLabel(item: item.id, reason: "expected beat times")
            }
            let estimated = try beatDecoder.beats(in: activation)
            let grid = BeatLabelGrid.beatFrames(
                annotated, framesPerSecond: framesPerSecond, frameCount: activation.count)
            let reference = grid.map { Double(Float($0) / Float(framesPerSecond)) }
            gridTracks.append(BeatTrack(reference: reference, estimated: estimated))
            annotatedTracks.append(BeatTrack(reference: annotated, estimated: estimated))
        }
        let marble = try BeatEvaluation(tracks: gridTracks, method: .marble)
        let mirEval = try BeatEvaluation(tracks: annotatedTracks, method: .mirEval)
        let pooled = marble.pooled
        return TaskScores(
            monitor: marble.fMeasure,
            values: [
                "beat_f": marble.fMeasure, "beat_f_mir_eval": mirEval.fMeasure,
                "beat_precision": pooled.precision, "beat_recall": pooled.recall,
            ])
    }

    // MARK: - Helpers

    private func keyEvaluation(
        items: [TaskItem], logits: ScoreMatrix
    ) throws
        -> SongKeyEvaluation
    {
        let labels = try items.map { try classIndex(of: $0) }
        return try SongKeyEvaluation(
            clipLogits: logits, clipLabels: labels, songIDs: items.map { $0.group ?? $0.id },
            classes: try keyClasses())
    }

    private func keyScores(
        _ evaluation: SongKeyEvaluation, reported: SongKeyEvaluation.Score
    )
        -> TaskScores
    {
        var values = [
            "weighted_score": reported.weightedScore, "accuracy": reported.accuracy,
            "clip_accuracy": evaluation.clip.accuracy,
            "clip_weighted_score": evaluation.clip.weightedScore,
        ]
        for (strategy, score) in evaluation.fused {
            values["weighted_score_\(strategy.rawValue)"] = score.weightedScore
        }
        return TaskScores(monitor: reported.weightedScore, values: values)
    }

    /// The task's class names read as keys; MARBLE's 24 classes when they are not keys.
    private func keyClasses() throws -> [MusicalKey] {
        guard case .singleLabel(let names) = task.kind else {
            throw ProbeError.invalidConfiguration("key scores need a single-label task")
        }
        let parsed = names.compactMap { try? MusicalKey(parsing: $0) }
        if parsed.count == names.count { return parsed }
        guard names.count == MusicalKey.marbleClasses.count else {
            throw ProbeError.invalidConfiguration(
                "key task \(task.name): class names are not keys and there are \(names.count), "
                    + "not MARBLE's 24")
        }
        return MusicalKey.marbleClasses
    }

    private func classIndex(of item: TaskItem) throws -> Int {
        guard case .classIndex(let index) = item.label else {
            throw ProbeError.invalidLabel(item: item.id, reason: "expected a class index")
        }
        return index
    }

    private func multiHot(items: [TaskItem], columnCount: Int) throws -> MultiHotLabels {
        var flags = [Bool](repeating: false, count: items.count * columnCount)
        for (row, item) in items.enumerated() {
            guard case .tags(let tags) = item.label else {
                throw ProbeError.invalidLabel(item: item.id, reason: "expected tags")
            }
            for tag in tags where (0..<columnCount).contains(tag) {
                flags[row * columnCount + tag] = true
            }
        }
        return try MultiHotLabels(rowCount: items.count, columnCount: columnCount, values: flags)
    }

    private func outputNames(count: Int) -> [String] {
        if case .regression(let names) = task.kind, names.count == count { return names }
        return (0..<count).map(String.init)
    }
}
