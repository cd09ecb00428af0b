import Foundation

/// Linear warmup from 0 to the peak, then half a cosine down to a minimum, as transformers'
/// `get_cosine_with_min_lr_schedule_with_warmup` (constant at the minimum after `totalSteps`).
///
/// With `W` warmup steps and `N` total steps:
/// ```
/// n < W:   peak · n / W
/// n ≥ W:   min + (peak − min) · ½ · (1 + cos(π · min(1, (n − W) / (N − W))))
/// ```
public struct CosineSchedule: LearningRateSchedule {
    /// The learning rate reached at the end of warmup.
    public let peakLearningRate: Float
    /// Steps of linear warmup; 0 starts at the peak.
    public let warmupSteps: Int
    /// The step at which the minimum is reached.
    public let totalSteps: Int
    /// The rate at and after `totalSteps`.
    public let minimumLearningRate: Float

    /// Creates the schedule.
    ///
    /// - Throws: ``OptimizationError/invalidArgument(component:message:)`` when a step count is
    ///   negative, `totalSteps < warmupSteps`, or a rate is negative.
    public init(
        peakLearningRate: Float, warmupSteps: Int, totalSteps: Int, minimumLearningRate: Float = 0
    ) throws {
        let component = "CosineSchedule"
        try requireSchedule(component, "peakLearningRate", Double(peakLearningRate), atLeast: 0)
        try requireSchedule(
            component, "minimumLearningRate", Double(minimumLearningRate), atLeast: 0)
        try requireSchedule(component, "warmupSteps", Double(warmupSteps), atLeast: 0)
        try requireSchedule(
            component, "totalSteps", Double(totalSteps), atLeast: Double(warmupSteps))
        self.peakLearningRate = peakLearningRate
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.minimumLearningRate = minimumLearningRate
    }

    public func learningRate(atStep step: Int) -> Float {
        let n = Swift.max(step, 0)
        let (peak, minimum) = (Double(peakLearningRate), Double(minimumLearningRate))
        if n < warmupSteps { return Float(peak * Double(n) / Double(warmupSteps)) }
        guard totalSteps > warmupSteps else {
            return n < totalSteps ? peakLearningRate : minimumLearningRate
        }
        let progress = Swift.min(1, Double(n - warmupSteps) / Double(totalSteps - warmupSteps))
        return Float(minimum + (peak - minimum) * 0.5 * (1 + Foundation.cos(Double.pi * progress)))
    }
}
