/// Training speed over the most recent steps: samples per second, seconds per step, and the
/// time left until a given step.
///
/// Times are passed in (seconds on any monotonic clock), so tests need no real clock.
///
/// ```swift
/// var meter = ThroughputMeter()
/// meter.start(atStep: resumedStep, time: clock())
/// // after each optimizer step:
/// meter.record(step: step, sampleCount: batchSize * accumulation, time: clock())
/// let eta = meter.remainingSeconds(untilStep: totalSteps)
/// ```
public struct ThroughputMeter: Sendable {
    private struct Mark: Sendable {
        let step: Int
        let cumulativeSamples: Int
        let time: Double
    }

    /// How many recent steps the rates average over.
    public let windowSize: Int
    private var marks: [Mark] = []
    private var cumulativeSamples = 0

    /// A meter averaging over the last `windowSize` steps (at least 1).
    public init(windowSize: Int = 50) {
        self.windowSize = max(1, windowSize)
    }

    /// Sets the starting point: training (re)starts after `step` at `time`; earlier marks are
    /// forgotten.
    public mutating func start(atStep step: Int, time: Double) {
        cumulativeSamples = 0
        marks = [Mark(step: step, cumulativeSamples: 0, time: time)]
    }

    /// Records that the step `step`, which processed `sampleCount` samples, ended at `time`.
    /// Without a ``start(atStep:time:)`` first, the first record only sets the starting point.
    public mutating func record(step: Int, sampleCount: Int, time: Double) {
        guard !marks.isEmpty else {
            start(atStep: step, time: time)
            return
        }
        cumulativeSamples += sampleCount
        marks.append(Mark(step: step, cumulativeSamples: cumulativeSamples, time: time))
        if marks.count > windowSize + 1 { marks.removeFirst(marks.count - windowSize - 1) }
    }

    /// Samples per second over the window; nil before two marks or when no time has passed.
    public var samplesPerSecond: Double? {
        guard let first = marks.first, let last = marks.last, last.time > first.time else {
            return nil
        }
        return Double(last.cumulativeSamples - first.cumulativeSamples) / (last.time - first.time)
    }

    /// Seconds per optimizer step over the window; nil before two marks.
    public var secondsPerStep: Double? {
        guard let first = marks.first, let last = marks.last, last.step > first.step else {
            return nil
        }
        return (last.time - first.time) / Double(last.step - first.step)
    }

    /// The estimated seconds until `step` is done at the current speed; nil while unknown.
    public func remainingSeconds(untilStep step: Int) -> Double? {
        guard let secondsPerStep, let last = marks.last else { return nil }
        return max(0, Double(step - last.step)) * secondsPerStep
    }
}
