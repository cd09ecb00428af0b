/// The learning rate as a function of the number of updates done so far.
///
/// `learningRate(atStep: n)` is the rate for the update that follows `n` completed updates,
/// the value fairseq's `lr_scheduler.step_update(n)` sets (fairseq's trainer calls it with 0
/// before the first update). Negative steps count as 0. Schedules compute in Double and round
/// once, so values match fairseq's Python floats to Float32 precision.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate for the update after `step` completed updates.
    func learningRate(atStep step: Int) -> Float
}

/// The same learning rate at every step (fairseq `fixed` without annealing).
public struct ConstantSchedule: LearningRateSchedule {
    /// The learning rate returned at every step.
    public let value: Float

    /// Creates a schedule that always returns `learningRate`.
    public init(learningRate: Float) {
        self.value = learningRate
    }

    public func learningRate(atStep step: Int) -> Float { value }
}

/// Throws unless `value` is finite and at least `minimum`.
func requireSchedule(
    _ component: String, _ name: String, _ value: Double, atLeast minimum: Double
) throws {
    guard value.isFinite, value >= minimum else {
        throw OptimizationError.invalidArgument(
            component: component, message: "\(name) must be at least \(minimum), got \(value)")
    }
}
