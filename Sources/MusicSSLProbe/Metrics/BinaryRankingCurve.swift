/// The ranking of items by one label's score, cut at every distinct score: the curve that both
/// ROC-AUC and average precision are read from.
///
/// Items are sorted by descending score; items with equal scores form one group (one threshold),
/// so ties never depend on input order. Threshold `k` counts the true and false positives among
/// all items scoring at least `thresholds[k]`. This is `_binary_clf_curve` of scikit-learn and
/// torchmetrics with `thresholds=None` (exact, no binning).
public struct BinaryRankingCurve: Sendable, Equatable {
    /// The distinct scores, highest first.
    public let thresholds: [Double]
    /// Cumulative true positives at each threshold (non-decreasing; last = ``positiveCount``).
    public let truePositives: [Int]
    /// Cumulative false positives at each threshold (non-decreasing; last = ``negativeCount``).
    public let falsePositives: [Int]

    /// Items whose target is true.
    public var positiveCount: Int { truePositives.last ?? 0 }
    /// Items whose target is false.
    public var negativeCount: Int { falsePositives.last ?? 0 }
    /// True when only one class is present (no positives or no negatives): ROC-AUC is then
    /// undefined (scikit-learn raises "Only one class present in y_true").
    public var isDegenerate: Bool { positiveCount == 0 || negativeCount == 0 }

    /// Builds the curve of `scores` against `targets`.
    ///
    /// - Throws: ``MetricError`` when the lists are empty, differ in length or a score is not
    ///   finite.
    public init(scores: [Double], targets: [Bool]) throws {
        let metric = "ranking-curve"
        guard !scores.isEmpty else { throw MetricError(metric, .empty("the item list")) }
        guard targets.count == scores.count else {
            throw MetricError(
                metric,
                .countMismatch(
                    "targets for the scored items", expected: scores.count,
                    found: targets.count))
        }
        if let item = scores.firstIndex(where: { !$0.isFinite }) {
            throw MetricError(metric, .nonFinite("score at item \(item)", value: scores[item]))
        }
        self.init(validScores: scores, targets: targets)
    }

    /// Builds the curve of finite, non-empty, equally long lists (checked by the caller).
    init(validScores scores: [Double], targets: [Bool]) {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var thresholds: [Double] = []
        var truePositives: [Int] = []
        var falsePositives: [Int] = []
        var positives = 0
        var negatives = 0
        for (rank, item) in order.enumerated() {
            if targets[item] { positives += 1 } else { negatives += 1 }
            // A threshold closes where the next score differs (the group of ties ends).
            let isLastOfGroup = rank == order.count - 1 || scores[order[rank + 1]] != scores[item]
            if isLastOfGroup {
                thresholds.append(scores[item])
                truePositives.append(positives)
                falsePositives.append(negatives)
            }
        }
        self.thresholds = thresholds
        self.truePositives = truePositives
        self.falsePositives = falsePositives
    }

    /// The area under the ROC curve: the trapezoidal area under (FPR, TPR) from (0, 0) through
    /// every threshold, as scikit-learn's `roc_auc_score` and torchmetrics' exact `AUROC`.
    ///
    /// For a degenerate label this is torchmetrics' value: with no negatives the FPR is taken
    /// as 0 everywhere, with no positives the TPR is, and the area is 0 either way.
    public var rocAUC: Double {
        guard !isDegenerate else { return 0 }
        // Σ ΔFP · (TP_k + TP_{k−1}) / (2 · P · N), summed exactly in integers.
        var doubledArea = 0
        var previousTruePositives = 0
        var previousFalsePositives = 0
        for (truePositives, falsePositives) in zip(truePositives, falsePositives) {
            doubledArea +=
                (falsePositives - previousFalsePositives) * (truePositives + previousTruePositives)
            previousTruePositives = truePositives
            previousFalsePositives = falsePositives
        }
        return Double(doubledArea) / (2 * Double(positiveCount) * Double(negativeCount))
    }

    /// Non-interpolated average precision, Σₖ (Rₖ − Rₖ₋₁) · Pₖ over the thresholds from the
    /// highest score down, R₀ = 0: scikit-learn's `average_precision_score` and torchmetrics'
    /// exact `AveragePrecision`.
    ///
    /// For a label with no positives this is torchmetrics' value, 0 (it sets recall to 1 at
    /// every threshold, so the sum reduces to the precision at the top threshold, which is 0);
    /// with no negatives every precision is 1 and so is the result.
    public var averagePrecision: Double {
        guard positiveCount > 0 else { return 0 }
        var sum = 0.0
        var previousTruePositives = 0
        for (truePositives, falsePositives) in zip(truePositives, falsePositives) {
            let recallStep = Double(truePositives - previousTruePositives) / Double(positiveCount)
            sum += recallStep * Double(truePositives) / Double(truePositives + falsePositives)
            previousTruePositives = truePositives
        }
        return sum
    }
}
