/// Multiclass accuracy: the fraction of items whose highest-scoring class is their label.
///
/// This is `torchmetrics.Accuracy(task="multiclass", num_classes=C)` with its default
/// `average="micro"` and `top_k=1`, the metric MARBLE reports for GTZAN genre, NSynth instrument
/// and pitch, and VocalSet technique and singer (probe-spec §2.1). It is computed on one row of
/// logits per item (the window logits averaged per item, §1.3); a tie between classes goes to
/// the lowest class index, as `torch.argmax` decides it.
///
/// ```swift
/// let accuracy = try MulticlassAccuracy(logits: logits, labels: labels)
/// print(accuracy.value)   // 0.741
/// ```
public struct MulticlassAccuracy: Sendable, Equatable {
    /// Items whose argmax equals their label.
    public let correctCount: Int
    /// Items evaluated.
    public let itemCount: Int

    /// The accuracy, `correctCount / itemCount`, in [0, 1].
    public var value: Double { Double(correctCount) / Double(itemCount) }

    /// Scores `logits` (or probabilities: only their order within a row matters) against
    /// `labels`.
    ///
    /// - Parameters:
    ///   - logits: `[items, classes]` scores, one row per item.
    ///   - labels: One class index in `0..<classes` per item.
    /// - Throws: ``MetricError`` when there are no items or no classes, the counts differ, a
    ///   label is out of range or a score is not finite.
    public init(logits: ScoreMatrix, labels: [Int]) throws {
        let metric = "accuracy"
        guard logits.rowCount > 0 else { throw MetricError(metric, .empty("the item list")) }
        guard labels.count == logits.rowCount else {
            throw MetricError(
                metric,
                .countMismatch(
                    "labels for the scored items", expected: logits.rowCount,
                    found: labels.count))
        }
        guard logits.columnCount > 0 else { throw MetricError(metric, .empty("the class list")) }
        try logits.requireFinite(metric: metric, what: "logit", columnName: "class")
        if let item = labels.firstIndex(where: { !(0..<logits.columnCount).contains($0) }) {
            throw MetricError(
                metric,
                .labelOutOfRange(item: item, label: labels[item], classCount: logits.columnCount))
        }
        let predictions = try logits.rowArgmax()
        correctCount = zip(predictions, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        itemCount = labels.count
    }
}
