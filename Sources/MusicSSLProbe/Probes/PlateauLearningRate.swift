/// Halves the learning rate when the validation monitor stops improving: a port of
/// `torch.optim.lr_scheduler.ReduceLROnPlateau` in mode `max` with its defaults
/// (`threshold=1e-4`, `threshold_mode="rel"`, `cooldown=0`, `min_lr=0`, `eps=1e-8`), as MARBLE
/// configures it with `factor=0.5` and the task's patience (probe-spec §1.5).
///
/// Each ``step(monitor:)`` is one epoch: a monitor above `best · (1 + threshold)` is an
/// improvement; after more than `patience` epochs without one the rate is multiplied by
/// `factor` (unless that changes it by no more than `eps`), and the count restarts.
///
/// ```swift
/// var plateau = PlateauLearningRate(learningRate: 1e-3, patience: 5)
/// plateau.step(monitor: validAccuracy)
/// optimizerRate = plateau.learningRate
/// ```
public struct PlateauLearningRate: Sendable, Equatable, Codable {
    /// The current learning rate (torch's `param_group["lr"]`), in Double as Python holds it.
    public private(set) var learningRate: Double
    /// Epochs without improvement tolerated before a reduction (torch `patience`).
    public let patience: Int
    /// Multiplier of a reduction (torch `factor`, MARBLE 0.5).
    public let factor: Double
    /// Relative improvement required (torch `threshold`, 1e-4).
    public let threshold: Double
    /// Epochs after a reduction during which bad epochs are not counted (torch `cooldown`, 0).
    public let cooldown: Int
    /// Floor of the learning rate (torch `min_lr`, 0).
    public let minimumLearningRate: Double
    /// Smallest change that is applied (torch `eps`, 1e-8).
    public let minimumChange: Double
    /// Best monitor so far (torch `best`, −∞ at the start).
    public private(set) var best = -Double.infinity
    /// Consecutive epochs without improvement (torch `num_bad_epochs`).
    public private(set) var badEpochCount = 0
    /// Remaining cooldown epochs (torch `cooldown_counter`).
    public private(set) var cooldownCounter = 0

    /// A scheduler at `learningRate` with torch's defaults unless given.
    public init(
        learningRate: Double, patience: Int, factor: Double = 0.5, threshold: Double = 1e-4,
        cooldown: Int = 0, minimumLearningRate: Double = 0, minimumChange: Double = 1e-8
    ) {
        self.learningRate = learningRate
        self.patience = patience
        self.factor = factor
        self.threshold = threshold
        self.cooldown = cooldown
        self.minimumLearningRate = minimumLearningRate
        self.minimumChange = minimumChange
    }

    /// Records one epoch's monitor (higher is better); returns true when the rate was reduced.
    @discardableResult
    public mutating func step(monitor: Double) -> Bool {
        // torch `_is_better` for mode "max", threshold_mode "rel"; NaN is never better.
        if monitor > best * (1 + threshold) {
            best = monitor
            badEpochCount = 0
        } else {
            badEpochCount += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            badEpochCount = 0
        }
        guard badEpochCount > patience else { return false }
        cooldownCounter = cooldown
        badEpochCount = 0
        let reduced = Swift.max(learningRate * factor, minimumLearningRate)
        guard learningRate - reduced > minimumChange else { return false }
        learningRate = reduced
        return true
    }
}
