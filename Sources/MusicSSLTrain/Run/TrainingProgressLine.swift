import Foundation

/// The trainer's one-line progress report, formatted for a terminal or a log:
///
/// `step 1200/400000 [>          ]   0.3%  loss 6.214  acc 0.1320  lr 5.00e-04  312.4 samples/s  ETA 3:12:05`
///
/// The library formats; the command line decides where and how often to print (redrawn in place
/// with a carriage return on a terminal, a line every so often in a log).
///
/// ```swift
/// let line = TrainingProgressLine(
///     step: step, totalSteps: total, loss: loss,
///     metrics: [.init(label: "acc", value: accuracy)], learningRate: rate,
///     samplesPerSecond: meter.samplesPerSecond,
///     remainingSeconds: meter.remainingSeconds(untilStep: total))
/// print(line.render())
/// ```
public struct TrainingProgressLine: Sendable, Equatable {
    /// One extra measurement shown after the loss.
    public struct Metric: Sendable, Equatable {
        /// A short label, e.g. `acc` (masked accuracy) or `tvar` (target variance).
        public var label: String
        /// The value, printed with four significant digits.
        public var value: Double

        /// A metric shown as `label value`.
        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    /// Characters of the bar between its brackets.
    public static let barWidth = 20

    /// The optimizer steps done.
    public var step: Int
    /// The steps the run will take.
    public var totalSteps: Int
    /// The latest (or recently averaged) loss.
    public var loss: Double
    /// Measurements shown after the loss, in order.
    public var metrics: [Metric]
    /// The learning rate of the latest step; not shown when nil.
    public var learningRate: Double?
    /// Throughput in samples per second; not shown when nil.
    public var samplesPerSecond: Double?
    /// Estimated seconds left; not shown when nil.
    public var remainingSeconds: Double?

    /// A report of `step` out of `totalSteps`.
    public init(
        step: Int, totalSteps: Int, loss: Double, metrics: [Metric] = [],
        learningRate: Double? = nil, samplesPerSecond: Double? = nil,
        remainingSeconds: Double? = nil
    ) {
        self.step = step
        self.totalSteps = totalSteps
        self.loss = loss
        self.metrics = metrics
        self.learningRate = learningRate
        self.samplesPerSecond = samplesPerSecond
        self.remainingSeconds = remainingSeconds
    }

    /// The line, without a newline.
    public func render() -> String {
        let total = max(0, totalSteps)
        let fraction = total == 0 ? 1 : min(1, max(0, Double(step) / Double(total)))
        let filled = Int((fraction * Double(Self.barWidth)).rounded(.down))
        let head = filled < Self.barWidth ? ">" : ""
        let bar =
            "[" + String(repeating: "=", count: filled) + head
            + String(repeating: " ", count: max(0, Self.barWidth - filled - head.count)) + "]"
        let width = String(total).count
        let count =
            String(repeating: " ", count: max(0, width - String(step).count))
            + "\(step)/\(total)"
        var parts = [
            "step \(count)", bar, String(format: "%5.1f%%", fraction * 100),
            "loss \(Self.significant(loss))",
        ]
        parts += metrics.map { "\($0.label) \(Self.significant($0.value))" }
        if let learningRate { parts.append("lr " + String(format: "%.2e", learningRate)) }
        if let samplesPerSecond {
            parts.append(String(format: "%.1f samples/s", samplesPerSecond))
        }
        if let remainingSeconds { parts.append("ETA " + Self.clockTime(remainingSeconds)) }
        return parts.joined(separator: "  ")
    }

    /// `value` with four significant digits (`6.214`, `0.01235`, `1.235e+04`), or `nan`/`inf`.
    public static func significant(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.4g", value)
    }

    /// `m:ss`, `h:mm:ss` from an hour on, `Nd h:mm:ss` from a day on.
    public static func clockTime(_ seconds: Double) -> String {
        let whole = seconds.isFinite ? max(0, Int(min(seconds, 1e12).rounded())) : 0
        let (days, hours, minutes, secs) =
            (whole / 86_400, whole / 3600 % 24, whole / 60 % 60, whole % 60)
        if days > 0 { return String(format: "%dd %d:%02d:%02d", days, hours, minutes, secs) }
        return hours > 0
            ? String(format: "%d:%02d:%02d", hours, minutes, secs)
            : String(format: "%d:%02d", minutes, secs)
    }
}
