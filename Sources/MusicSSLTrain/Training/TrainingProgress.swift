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

    /// One line for a terminal: step, loss, the main monitor, speed and time left.
    public var line: String {
        var parts = ["update \(step)/\(totalSteps)", "loss \(Self.format(loss))"]
        for key in metrics.keys.sorted() where key.hasSuffix("masked_accuracy") || key.hasSuffix("target_variance") {
            parts.append("\(key.split(separator: "/").last ?? "") \(Self.format(metrics[key] ?? 0))")
        }
        parts.append("\(Self.format(samplesPerSecond)) clips/s")
        let seconds = Int(secondsLeft.rounded())
        parts.append(String(format: "ETA %d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60))
        return parts.joined(separator: "  ")
    }

    private static func format(_ value: Double) -> String { String(format: "%.4g", value) }
}
