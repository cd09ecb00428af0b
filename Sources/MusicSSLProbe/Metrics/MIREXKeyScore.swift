/// The MIREX weighted key score, exactly as `mir_eval.key.weighted_score(reference, estimate)`.
///
/// | relation, d = (estimated tonic − reference tonic) mod 12 | score |
/// |---|---|
/// | same tonic and mode | 1.0 |
/// | same mode, d = 7 (estimate a fifth **above** the reference) | 0.5 |
/// | reference major, estimate minor, d = 9 (relative minor) | 0.3 |
/// | reference minor, estimate major, d = 3 (relative major) | 0.3 |
/// | different modes, same tonic (parallel) | 0.2 |
/// | otherwise, or either key uncategorised (unless both are) | 0.0 |
///
/// The fifth is asymmetric as in mir_eval (and so in MARBLE's GiantSteps score): an estimate a
/// fifth *below* the reference scores 0. Mode `other` follows mir_eval's string comparisons: it
/// differs from both major and minor, so e.g. reference `"C other"` and estimate `"C major"`
/// count as parallel (0.2).
public enum MIREXKeyScore {
    /// The score of `estimate` against `reference`, in {0, 0.2, 0.3, 0.5, 1}.
    public static func weighted(reference: MusicalKey, estimate: MusicalKey) -> Double {
        if reference == estimate { return 1 }
        guard let referenceTonic = reference.tonic, let estimatedTonic = estimate.tonic else {
            return 0
        }
        let interval = ((estimatedTonic - referenceTonic) % 12 + 12) % 12
        let sameMode = reference.mode == estimate.mode
        if sameMode && interval == 7 { return 0.5 }
        if !sameMode && reference.mode == .major && interval == 9 { return 0.3 }
        if !sameMode && reference.mode == .minor && interval == 3 { return 0.3 }
        if !sameMode && interval == 0 { return 0.2 }
        return 0
    }

    /// The mean weighted score over pairs of reference and estimated keys (MARBLE's GiantSteps
    /// metric averages it over songs).
    ///
    /// - Throws: ``MetricError`` when the lists are empty or differ in length.
    public static func meanWeighted(
        references: [MusicalKey], estimates: [MusicalKey]
    ) throws
        -> Double
    {
        guard !references.isEmpty else {
            throw MetricError("key-weighted-score", .empty("the reference key list"))
        }
        guard estimates.count == references.count else {
            throw MetricError(
                "key-weighted-score",
                .countMismatch(
                    "estimated keys for the reference keys", expected: references.count,
                    found: estimates.count))
        }
        let total = zip(references, estimates).reduce(0.0) {
            $0 + weighted(reference: $1.0, estimate: $1.1)
        }
        return total / Double(references.count)
    }
}
