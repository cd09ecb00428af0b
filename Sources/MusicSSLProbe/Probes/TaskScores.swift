/// The scores of one split under a task's metric, by name (`accuracy`, `roc_auc`,
/// `average_precision`, `r2_arousal`, `weighted_score`, `beat_f`, …) as fractions, not ×100,
/// and the one the probe monitors.
public struct TaskScores: Sendable, Equatable, Codable {
    /// The number early stopping, learning-rate halving and the sweep's selection follow
    /// (higher is better).
    public var monitor: Double
    /// Every score, by name.
    public var values: [String: Double]

    /// Creates scores.
    public init(monitor: Double, values: [String: Double]) {
        self.monitor = monitor
        self.values = values
    }
}
