/// The counts behind a beat F-measure: matched pairs, reference beats and estimated beats.
///
/// Counts add (``+(_:_:)``), which is how MARBLE pools them over a test set before taking one
/// F-measure.
public struct BeatMatchCounts: Sendable, Equatable {
    /// Pairs in a maximum matching within the tolerance window.
    public let matchCount: Int
    /// Reference (annotated) beats.
    public let referenceCount: Int
    /// Estimated beats.
    public let estimatedCount: Int

    /// Creates counts; `matchCount` can exceed neither list's count.
    public init(matchCount: Int, referenceCount: Int, estimatedCount: Int) {
        self.matchCount = matchCount
        self.referenceCount = referenceCount
        self.estimatedCount = estimatedCount
    }

    /// No beats at all: the identity of ``+(_:_:)``.
    public static let zero = BeatMatchCounts(matchCount: 0, referenceCount: 0, estimatedCount: 0)

    /// matches / estimated beats; 0 without estimated beats.
    public var precision: Double {
        estimatedCount == 0 ? 0 : Double(matchCount) / Double(estimatedCount)
    }

    /// matches / reference beats; 0 without reference beats.
    public var recall: Double {
        referenceCount == 0 ? 0 : Double(matchCount) / Double(referenceCount)
    }

    /// 2PR / (P + R); 0 when either list is empty or nothing matched, as
    /// `mir_eval.beat.f_measure` (and MARBLE's pooled `compute`) define it.
    public var fMeasure: Double {
        guard estimatedCount > 0, referenceCount > 0, matchCount > 0 else { return 0 }
        let precision = precision
        let recall = recall
        return 2 * precision * recall / (precision + recall)
    }

    /// The counts of two tracks pooled.
    public static func + (left: BeatMatchCounts, right: BeatMatchCounts) -> BeatMatchCounts {
        BeatMatchCounts(
            matchCount: left.matchCount + right.matchCount,
            referenceCount: left.referenceCount + right.referenceCount,
            estimatedCount: left.estimatedCount + right.estimatedCount)
    }
}
