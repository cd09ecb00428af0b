/// The fusion strategy chosen on validation, for the test score MARBLE reports as
/// `ensemble_score_val-select` (probe-spec §2.1, Q8).
///
/// Feed it the validation evaluations you want the choice to consider. MARBLE feeds every
/// epoch's and keeps the strategy of the best validation score seen at any epoch (strictly
/// better replaces it), which need not be the epoch of the checkpoint it tests (Q8); feeding
/// only the selected checkpoint's validation evaluation ties the strategy to that checkpoint.
///
/// ```swift
/// var selection = KeyFusionSelection()
/// selection.observe(validation: validEvaluation)
/// let reported = selection.testScore(testEvaluation)   // weighted score, or nil before any
/// ```
public struct KeyFusionSelection: Sendable, Equatable {
    /// The chosen strategy; nil until a validation evaluation is observed.
    public private(set) var strategy: KeyFusionStrategy?
    /// The validation weighted score that chose it (−∞ before any).
    public private(set) var validationScore: Double = -.infinity

    /// Creates a selection that has seen nothing.
    public init() {}

    /// Adopts `validation`'s best strategy when its score is strictly above every score
    /// observed before.
    public mutating func observe(validation: SongKeyEvaluation) {
        let best = validation.bestScore.weightedScore
        if best > validationScore {
            validationScore = best
            strategy = validation.bestStrategy
        }
    }

    /// The test weighted score of the chosen strategy; nil before any validation was observed.
    public func testScore(_ test: SongKeyEvaluation) -> Double? {
        strategy.flatMap { test.fused[$0]?.weightedScore }
    }
}
