import Foundation

/// Linear warmup from 0 to the peak, then polynomial decay to an end rate, as fairseq's
/// `polynomial_decay` schedule (HuBERT base and MERT: warmup 32 000, power 1, end 0 over
/// 400 000 updates).
///
/// With `W` warmup steps and `N` total steps:
/// ```
/// n ≤ W:       peak · n / W
/// W < n < N:   (peak − end) · (1 − (n − W) / (N − W))^power + end
/// n ≥ N:       end
/// ```
public struct LinearWarmupPolynomialDecay: LearningRateSchedule {
    /// The learning rate reached at the end of warmup (fairseq `lr`).
    public let peakLearningRate: Float
    /// Steps of linear warmup (fairseq `warmup_updates`); 0 starts at the peak.
    public let warmupSteps: Int
    /// The step at which the end rate is reached (fairseq `total_num_update`, `max_update`).
    public let totalSteps: Int
    /// The rate after decay (fairseq `end_learning_rate`).
    public let endLearningRate: Float
    /// Exponent of the decay (fairseq `power`); 1 is linear.
    public let power: Float

    /// Creates the schedule.
    ///
    /// - Throws: ``OptimizationError/invalidArgument(component:message:)`` when a step count is
    ///   negative, `totalSteps < warmupSteps`, or a rate or the power is negative.
    public init(
        peakLearningRate: Float, warmupSteps: Int, totalSteps: Int, endLearningRate: Float = 0,
        power: Float = 1
    ) throws {
        let component = "LinearWarmupPolynomialDecay"
        try requireSchedule(component, "peakLearningRate", Double(peakLearningRate), atLeast: 0)
        try requireSchedule(component, "endLearningRate", Double(endLearningRate), atLeast: 0)
        try requireSchedule(component, "power", Double(power), atLeast: 0)
        try requireSchedule(component, "warmupSteps", Double(warmupSteps), atLeast: 0)
        try requireSchedule(
            component, "totalSteps", Double(totalSteps), atLeast: Double(warmupSteps))
        self.peakLearningRate = peakLearningRate
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.endLearningRate = endLearningRate
        self.power = power
    }

    public func learningRate(atStep step: Int) -> Float {
        let n = Swift.max(step, 0)
        let (peak, end) = (Double(peakLearningRate), Double(endLearningRate))
        if warmupSteps > 0, n <= warmupSteps {
            return Float(peak * Double(n) / Double(warmupSteps))
        }
        if n >= totalSteps { return endLearningRate }
        let remaining = 1 - Double(n - warmupSteps) / Double(totalSteps - warmupSteps)
        return Float((peak - end) * Foundation.pow(remaining, Double(power)) + end)
    }
}
