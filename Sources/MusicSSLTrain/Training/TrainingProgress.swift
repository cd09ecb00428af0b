/// What a trainer reports after each logged update.
public struct TrainingProgress: Sendable {
    /// Updates done.
    public var step: Int
    /// Updates the run will do.
    public var totalSteps: Int
    /// The update's loss.
    public var loss: Double
    /// The learning rate it used.
    public var learningRate: Double
    /// Clips per second over the last logging interval.
    public var samplesPerSecond: Double
    /// Estimated seconds left at the current speed.
    public var secondsLeft: Double
    /// Monitors: `<term>/masked_accuracy`, `<term>/target_variance`, …
    public var metrics: [String: Double]

    /// The report as a ``TrainingProgressLine`` (bar, loss, masked accuracy as `acc` and target
    /// variance as `tvar` when logged, learning rate, speed, time left); `render()` it to print.
    public var progressLine: TrainingProgressLine {
        let shown = metrics.keys.sorted().compactMap { key -> TrainingProgressLine.Metric? in
            guard let value = metrics[key] else { return nil }
            if key.hasSuffix("/masked_accuracy") { return .init(label: "acc", value: value) }
            if key.hasSuffix("/target_variance") { return .init(label: "tvar", value: value) }
            return nil
        }
        return TrainingProgressLine(
            step: step, totalSteps: totalSteps, loss: loss, metrics: shown, learningRate: learningRate,
            samplesPerSecond: samplesPerSecond, remainingSeconds: secondsLeft)
    }
}
