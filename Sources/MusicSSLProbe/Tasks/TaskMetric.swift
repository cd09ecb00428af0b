/// How a task is scored, exactly as MARBLE scores it (probe-spec §2.1), and which number the
/// probe's early stopping, learning-rate halving and the sweep's selection follow.
public enum TaskMetric: String, Sendable, Equatable, Codable, CaseIterable {
    /// Accuracy of the argmax of item logits (GTZAN genre, NSynth, VocalSet). Monitor: accuracy.
    case accuracy
    /// Macro ROC-AUC and macro average precision of item logits (MTT, MTG). Monitor: ROC-AUC.
    case multilabelRanking
    /// R² per output and their mean (Emomusic). Monitor: the mean.
    case r2
    /// MIREX weighted key score with song-level fusion (GiantSteps). Monitor: the best fusion
    /// strategy's song score; the test score is that of the strategy chosen on validation.
    case keyScore
    /// Beat F-measure of DBN-decoded beats, ±70 ms (GTZAN rhythm). Monitor: the F-measure.
    case beatFMeasure
}
