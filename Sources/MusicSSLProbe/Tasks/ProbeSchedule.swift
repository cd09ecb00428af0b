/// A task's early stopping and learning-rate halving, in epochs (probe-spec §1.5, from MARBLE's
/// per-task base configurations).
public struct ProbeSchedule: Sendable, Equatable, Codable {
    /// Epochs without a better validation monitor before the learning rate is halved
    /// (`ReduceLROnPlateau(factor=0.5, patience=…)`).
    public var learningRatePatience: Int
    /// Epochs without a better validation monitor before training stops.
    public var earlyStoppingPatience: Int
    /// Upper bound on epochs.
    public var maximumEpochs: Int

    /// Creates a schedule.
    public init(learningRatePatience: Int, earlyStoppingPatience: Int, maximumEpochs: Int) {
        self.learningRatePatience = learningRatePatience
        self.earlyStoppingPatience = earlyStoppingPatience
        self.maximumEpochs = maximumEpochs
    }

    /// MARBLE's most common setting: halve after 5, stop after 20, at most 100 epochs.
    public static let standard = ProbeSchedule(
        learningRatePatience: 5, earlyStoppingPatience: 20, maximumEpochs: 100)
}
