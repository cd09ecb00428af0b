/// The coefficient of determination per output column and their uniform average: MARBLE's
/// metric for Emomusic (column 0 arousal, column 1 valence; probe-spec §2.1).
///
/// Per column, R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², with ȳ the mean of the evaluated split's targets
/// and both sums over the whole split (`torchmetrics.R2Score(num_outputs=C)` accumulated over an
/// epoch, `multioutput="uniform_average"` for the average). R² is unchanged by an affine
/// rescaling of targets and predictions together, so z-scored targets give the same values.
///
/// ```swift
/// let r2 = try R2Score(predictions: predicted, targets: annotated)
/// let (arousal, valence) = (r2.perOutput[0], r2.perOutput[1])
/// ```
public struct R2Score: Sendable, Equatable {
    /// How a sum of squares at or near zero is read.
    public enum ZeroSumPolicy: Sendable, Equatable, CaseIterable {
        /// torchmetrics (1.x): a residual sum within 1e-4 of zero scores 1 (a near-perfect
        /// prediction, even of a near-constant target); otherwise a total sum within 1e-4 of
        /// zero (a near-constant target) scores 0. The default: MARBLE computes R² this way.
        case torchmetrics
        /// scikit-learn's `r2_score` (`force_finite=True`): only exactly zero sums are special; a
        /// constant target scores 1 when predicted exactly and 0 otherwise.
        case exact
    }

    /// R² of each output column, in column order.
    public let perOutput: [Double]
    /// The policy the scores were computed under.
    public let policy: ZeroSumPolicy

    /// The unweighted mean of ``perOutput`` (MARBLE's `valid_r2` monitor for Emomusic).
    public var uniformAverage: Double { perOutput.reduce(0, +) / Double(perOutput.count) }

    /// Scores `predictions` against `targets`.
    ///
    /// - Parameters:
    ///   - predictions: `[items, outputs]` predictions, one row per item.
    ///   - targets: `[items, outputs]` targets.
    ///   - policy: How near-zero sums are read; ``ZeroSumPolicy/torchmetrics`` unless given.
    /// - Throws: ``MetricError`` when there are fewer than two items (torchmetrics' limit) or no
    ///   outputs, the shapes differ, or a value is not finite.
    public init(
        predictions: ScoreMatrix, targets: ScoreMatrix, policy: ZeroSumPolicy = .torchmetrics
    ) throws {
        let metric = "r2"
        guard predictions.rowCount > 0 else { throw MetricError(metric, .empty("the item list")) }
        guard predictions.columnCount > 0 else {
            throw MetricError(metric, .empty("the output list"))
        }
        guard targets.rowCount == predictions.rowCount,
            targets.columnCount == predictions.columnCount
        else {
            throw MetricError(
                metric,
                .shapeMismatch(
                    "targets for [items, outputs] predictions",
                    expected: [predictions.rowCount, predictions.columnCount],
                    found: [targets.rowCount, targets.columnCount]))
        }
        guard predictions.rowCount >= 2 else {
            throw MetricError(
                metric,
                .invalidArgument(
                    "R² needs at least two items, got \(predictions.rowCount) (torchmetrics' limit)"
                ))
        }
        try predictions.requireFinite(metric: metric, what: "prediction", columnName: "output")
        try targets.requireFinite(metric: metric, what: "target", columnName: "output")
        let itemCount = Double(predictions.rowCount)
        perOutput = (0..<predictions.columnCount).map { output in
            let target = targets.column(output)
            let predicted = predictions.column(output)
            let mean = target.reduce(0, +) / itemCount
            let totalSum = target.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            let residualSum = zip(target, predicted).reduce(0) {
                $0 + ($1.0 - $1.1) * ($1.0 - $1.1)
            }
            return Self.score(residualSum: residualSum, totalSum: totalSum, policy: policy)
        }
        self.policy = policy
    }

    /// One column's R² from its residual and total sums of squares.
    static func score(residualSum: Double, totalSum: Double, policy: ZeroSumPolicy) -> Double {
        switch policy {
        case .torchmetrics:
            // torch.isclose(x, 0, atol=1e-4) (rtol adds nothing against zero).
            if abs(residualSum) <= 1e-4 { return 1 }
            if abs(totalSum) <= 1e-4 { return 0 }
            return 1 - residualSum / totalSum
        case .exact:
            if totalSum == 0 { return residualSum == 0 ? 1 : 0 }
            return 1 - residualSum / totalSum
        }
    }
}
