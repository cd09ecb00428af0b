import Foundation

/// Linear warmup, hold, exponential decay, then constant, as fairseq's `tri_stage` schedule
/// (data2vec base: phase ratios 0.03/0.9/0.07 of 400 000 updates, peak 5e-4).
///
/// With `W`, `H`, `D` steps in the three phases, initial scale `a` and final scale `f`:
/// ```
/// n < W:              peak · (a + (1 − a) · n / W)
/// W ≤ n < W + H:      peak
/// W + H ≤ n ≤ W+H+D:  peak · exp(ln(f) · (n − W − H) / D)
/// n > W + H + D:      peak · f
/// ```
/// fairseq's defaults for both scales are 0.01; its fine-tuning configs often set
/// `final_lr_scale: 0.05`.
public struct TriStageSchedule: LearningRateSchedule {
    /// The learning rate of the hold phase (fairseq `lr`).
    public let peakLearningRate: Float
    /// Steps of linear warmup (fairseq `warmup_steps`).
    public let warmupSteps: Int
    /// Steps held at the peak (fairseq `hold_steps`).
    public let holdSteps: Int
    /// Steps of exponential decay (fairseq `decay_steps`).
    public let decaySteps: Int
    /// Warmup starts at `peak · initialScale` (fairseq `init_lr_scale`).
    public let initialScale: Float
    /// Decay ends at `peak · finalScale` and stays there (fairseq `final_lr_scale`).
    public let finalScale: Float

    /// Creates the schedule from explicit phase lengths.
    ///
    /// - Throws: ``OptimizationError/invalidArgument(component:message:)`` when a phase length is
    ///   negative, all are 0, the peak is negative, or a scale is not positive.
    public init(
        peakLearningRate: Float, warmupSteps: Int, holdSteps: Int, decaySteps: Int,
        initialScale: Float = 0.01, finalScale: Float = 0.01
    ) throws {
        let component = "TriStageSchedule"
        try requireSchedule(component, "peakLearningRate", Double(peakLearningRate), atLeast: 0)
        try requireSchedule(component, "warmupSteps", Double(warmupSteps), atLeast: 0)
        try requireSchedule(component, "holdSteps", Double(holdSteps), atLeast: 0)
        try requireSchedule(component, "decaySteps", Double(decaySteps), atLeast: 0)
        try requireSchedule(
            component, "warmupSteps + holdSteps + decaySteps",
            Double(warmupSteps + holdSteps + decaySteps), atLeast: 1)
        try requireSchedule(
            component, "initialScale", Double(initialScale), atLeast: .leastNonzeroMagnitude)
        try requireSchedule(
            component, "finalScale", Double(finalScale), atLeast: .leastNonzeroMagnitude)
        self.peakLearningRate = peakLearningRate
        self.warmupSteps = warmupSteps
        self.holdSteps = holdSteps
        self.decaySteps = decaySteps
        self.initialScale = initialScale
        self.finalScale = finalScale
    }

    /// Creates the schedule with phases given as fractions of `totalSteps` (fairseq
    /// `phase_ratio`; each phase is `Int(totalSteps · ratio)` steps, rounded down as in fairseq).
    ///
    /// - Throws: ``OptimizationError/invalidArgument(component:message:)`` when the ratios are
    ///   negative or do not sum to 1, or for the reasons of the other initialiser.
    public init(
        peakLearningRate: Float, totalSteps: Int,
        phaseRatios: (warmup: Double, hold: Double, decay: Double) = (0.03, 0.9, 0.07),
        initialScale: Float = 0.01, finalScale: Float = 0.01
    ) throws {
        let ratios = [phaseRatios.warmup, phaseRatios.hold, phaseRatios.decay]
        guard ratios.allSatisfy({ $0 >= 0 }), Swift.abs(ratios.reduce(0, +) - 1) < 1e-9 else {
            throw OptimizationError.invalidArgument(
                component: "TriStageSchedule",
                message: "phase ratios must be non-negative and sum to 1, got \(ratios)")
        }
        let steps = ratios.map { Int(Double(totalSteps) * $0) }
        try self.init(
            peakLearningRate: peakLearningRate, warmupSteps: steps[0], holdSteps: steps[1],
            decaySteps: steps[2], initialScale: initialScale, finalScale: finalScale)
    }

    public func learningRate(atStep step: Int) -> Float {
        let n = Swift.max(step, 0)
        let peak = Double(peakLearningRate)
        if n < warmupSteps {
            let initial = peak * Double(initialScale)
            return Float(initial + (peak - initial) / Double(warmupSteps) * Double(n))
        }
        if n < warmupSteps + holdSteps { return peakLearningRate }
        let decayed = n - warmupSteps - holdSteps
        if decayed <= decaySteps {
            // fairseq divides by decay_steps even when it is 0; a zero-length decay ends at once.
            let fraction = decaySteps == 0 ? 1 : Double(decayed) / Double(decaySteps)
            return Float(peak * Foundation.exp(Foundation.log(Double(finalScale)) * fraction))
        }
        return Float(peak * Double(finalScale))
    }
}
