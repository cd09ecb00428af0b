import MusicSSLCore
import MusicSSLTrain

/// One probe's optimisation state: its head, Adam and the plateau learning rate, and the step
/// MARBLE's Lightning loop takes per batch (probe-spec §1.5).
///
/// Adam is `AdamW` with weight decay 0 and torch's `Adam` defaults (β 0.9/0.999, ε 1e-8);
/// with no weight decay the two optimisers are the same update. ``ProbeTrainer`` drives it;
/// tests drive it directly to compare step by step with PyTorch.
///
/// ```swift
/// let optimization = try ProbeOptimization(head: head, learningRate: 1e-3, learningRatePatience: 5)
/// let loss = try optimization.step(inputs: batch, targets: .classes(labels), using: &generator)
/// optimization.endEpoch(validationMonitor: accuracy)
/// ```
public final class ProbeOptimization {
    /// The probe being trained.
    public let head: ProbeHead
    /// The learning-rate schedule; its rate is used by the next ``step(inputs:targets:using:)``.
    public private(set) var plateau: PlateauLearningRate
    private let adam: AdamW

    /// The learning rate of the next step.
    public var learningRate: Double { plateau.learningRate }

    /// Creates the optimiser state for `head`.
    ///
    /// - Parameters:
    ///   - head: The probe; its parameters are updated in place.
    ///   - learningRate: Adam's initial learning rate.
    ///   - learningRatePatience: `ReduceLROnPlateau` patience.
    ///   - factor: `ReduceLROnPlateau` factor, 0.5 in MARBLE.
    ///   - threshold: `ReduceLROnPlateau` relative threshold, torch's 1e-4.
    ///   - cooldown: `ReduceLROnPlateau` cooldown, torch's 0.
    /// - Throws: ``ProbeError/invalidConfiguration(_:)`` for a non-positive learning rate.
    public init(
        head: ProbeHead, learningRate: Double, learningRatePatience: Int, factor: Double = 0.5,
        threshold: Double = 1e-4, cooldown: Int = 0
    ) throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw ProbeError.invalidConfiguration(
                "learning rate must be positive, got \(learningRate)")
        }
        self.head = head
        plateau = PlateauLearningRate(
            learningRate: learningRate, patience: learningRatePatience, factor: factor,
            threshold: threshold, cooldown: cooldown)
        adam = try AdamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0)
    }

    /// One training step: forward in training mode, mean loss, backward, Adam update at
    /// ``learningRate``.
    ///
    /// - Parameters:
    ///   - inputs: `[rows, selectedLayers, dims]` features of the batch.
    ///   - targets: One target per row.
    ///   - generator: Source of the dropout mask.
    /// - Returns: The batch's loss before the update.
    public func step(
        inputs: Tensor, targets: ProbeTargets, using generator: inout some RandomNumberGenerator
    ) throws -> Float {
        head.setTraining(true)
        head.zeroGradients()
        let loss = try targets.loss(of: try head(inputs, using: &generator))
        try loss.backward()
        try adam.update(head.parameters, learningRate: Float(plateau.learningRate))
        return try loss.item()
    }

    /// Ends an epoch: feeds the validation monitor to the plateau schedule.
    ///
    /// - Returns: True when the learning rate was reduced.
    @discardableResult
    public func endEpoch(validationMonitor: Double) -> Bool {
        plateau.step(monitor: validationMonitor)
    }
}
