/// What a macro average does with a degenerate label: one that has only positives or only
/// negatives among the evaluated items, where ROC-AUC is undefined.
public enum DegenerateLabelPolicy: Sendable, Equatable, CaseIterable {
    /// Leave degenerate labels out of both macro means (ROC-AUC and AP, so both average the same
    /// labels) and report them in ``MultilabelRankingScores/skippedLabels``. The macro ROC-AUC is
    /// then scikit-learn's on the remaining labels. The default (probe-spec §2.1, SHOULD).
    case skipDegenerate
    /// torchmetrics' behaviour, which MARBLE inherits (probe-spec Q10): a label with no
    /// positives scores ROC-AUC 0 and AP 0, one with no negatives ROC-AUC 0 and AP 1, and both
    /// stay in the macro means. (torchmetrics also drops NaN per-label scores from its means;
    /// with the finite scores these metrics require, no per-label score is NaN.)
    case torchmetrics
}

/// Macro ROC-AUC and macro average precision of multi-label scores: MARBLE's metrics for
/// MagnaTagATune and the four MTG-Jamendo tasks.
///
/// Equals `torchmetrics.AUROC(task="multilabel", num_labels=C)` and
/// `AveragePrecision(task="multilabel", num_labels=C)` (defaults: macro, exact thresholds) under
/// ``DegenerateLabelPolicy/torchmetrics``, and scikit-learn's `roc_auc_score` /
/// `average_precision_score` (`average="macro"`) on the non-degenerate labels under
/// ``DegenerateLabelPolicy/skipDegenerate``. Per label, see ``BinaryRankingCurve``.
///
/// Both metrics depend only on each label's ranking of the items, so logits and sigmoid
/// probabilities give the same result, except where Float32 rounding makes probabilities tie:
/// MARBLE ranks Float32 sigmoid outputs, which all equal 1.0 above a logit of about 16.6; pass
/// such values to reproduce it exactly.
///
/// ```swift
/// let scores = try MultilabelRankingScores(scores: logits, targets: tags)
/// print(scores.macroROCAUC, scores.macroAveragePrecision, scores.skippedLabels)
/// ```
public struct MultilabelRankingScores: Sendable, Equatable {
    /// One label's counts and scores.
    public struct LabelScore: Sendable, Equatable {
        /// Items carrying the label.
        public let positiveCount: Int
        /// Items not carrying it.
        public let negativeCount: Int
        /// The label's ROC-AUC (torchmetrics' 0 when it is degenerate).
        public let rocAUC: Double
        /// The label's average precision (torchmetrics' 0 or 1 when it is degenerate).
        public let averagePrecision: Double
        /// True when the items hold only positives or only negatives for this label.
        public var isDegenerate: Bool { positiveCount == 0 || negativeCount == 0 }
    }

    /// Every label's scores, in column order.
    public let perLabel: [LabelScore]
    /// The policy the macro means were taken under.
    public let policy: DegenerateLabelPolicy
    /// Unweighted mean of the included labels' ROC-AUC.
    public let macroROCAUC: Double
    /// Unweighted mean of the included labels' average precision.
    public let macroAveragePrecision: Double
    /// Column indices of the labels left out of the macro means (empty under
    /// ``DegenerateLabelPolicy/torchmetrics``).
    public let skippedLabels: [Int]

    /// Scores `scores` against `targets`.
    ///
    /// - Parameters:
    ///   - scores: `[items, labels]` logits or probabilities.
    ///   - targets: `[items, labels]` multi-hot targets.
    ///   - policy: What to do with degenerate labels; ``DegenerateLabelPolicy/skipDegenerate``
    ///     unless given.
    /// - Throws: ``MetricError`` when there are no items or labels, the shapes differ, a score is
    ///   not finite, or every label is degenerate under ``DegenerateLabelPolicy/skipDegenerate``.
    public init(
        scores: ScoreMatrix, targets: MultiHotLabels,
        policy: DegenerateLabelPolicy = .skipDegenerate
    ) throws {
        let metric = "multilabel-ranking"
        guard scores.rowCount > 0 else { throw MetricError(metric, .empty("the item list")) }
        guard scores.columnCount > 0 else { throw MetricError(metric, .empty("the label list")) }
        guard targets.rowCount == scores.rowCount, targets.columnCount == scores.columnCount else {
            throw MetricError(
                metric,
                .shapeMismatch(
                    "targets for [items, labels] scores",
                    expected: [scores.rowCount, scores.columnCount],
                    found: [targets.rowCount, targets.columnCount]))
        }
        try scores.requireFinite(metric: metric, what: "score", columnName: "label")
        let labels = (0..<scores.columnCount).map { label in
            let curve = BinaryRankingCurve(
                validScores: scores.column(label), targets: targets.column(label))
            return LabelScore(
                positiveCount: curve.positiveCount, negativeCount: curve.negativeCount,
                rocAUC: curve.rocAUC, averagePrecision: curve.averagePrecision)
        }
        let skipped =
            policy == .skipDegenerate ? labels.indices.filter { labels[$0].isDegenerate } : []
        let included = labels.indices.filter { !skipped.contains($0) }
        guard !included.isEmpty else {
            throw MetricError(metric, .noScorableLabels(labelCount: labels.count))
        }
        let count = Double(included.count)
        perLabel = labels
        self.policy = policy
        skippedLabels = skipped
        macroROCAUC = included.reduce(0) { $0 + labels[$1].rocAUC } / count
        macroAveragePrecision = included.reduce(0) { $0 + labels[$1].averagePrecision } / count
    }
}
