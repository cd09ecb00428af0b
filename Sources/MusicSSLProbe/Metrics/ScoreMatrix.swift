import MusicSSLCore

/// Per-item scores for the metrics: `rowCount` items × `columnCount` classes, labels or outputs,
/// in row-major order, in `Double`.
///
/// Probes produce Float32 logits; ``init(_:)`` converts a `[items, columns]` tensor exactly, and
/// every metric then computes in `Double` so sums over tens of thousands of items do not drift.
///
/// ```swift
/// let logits = try ScoreMatrix(rows: [[0.1, 2.0, -1.0], [1.5, 0.2, 0.3]])
/// let accuracy = try MulticlassAccuracy(logits: logits, labels: [1, 0])
/// ```
public struct ScoreMatrix: Sendable, Equatable {
    /// Number of items (rows).
    public let rowCount: Int
    /// Number of classes, labels or outputs per item (columns).
    public let columnCount: Int
    /// The scores in row-major order: item `i`, column `j` is at `i * columnCount + j`.
    public let values: [Double]

    /// Creates a matrix from row-major `values`.
    ///
    /// - Throws: ``MetricError`` when a count is negative or `values.count` is not
    ///   `rowCount * columnCount`.
    public init(rowCount: Int, columnCount: Int, values: [Double]) throws {
        guard rowCount >= 0, columnCount >= 0, values.count == rowCount * columnCount else {
            throw MetricError(
                "scores",
                .shapeMismatch(
                    "\(values.count) values for \(rowCount) rows of \(columnCount)",
                    expected: [rowCount, columnCount], found: [values.count]))
        }
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.values = values
    }

    /// Creates a matrix from one array per item; every row must have the same length.
    ///
    /// - Throws: ``MetricError`` naming the first row whose length differs from row 0's.
    public init(rows: [[Double]]) throws {
        let columnCount = rows.first?.count ?? 0
        if let ragged = rows.firstIndex(where: { $0.count != columnCount }) {
            throw MetricError(
                "scores",
                .countMismatch(
                    "row \(ragged) length (row 0 has \(columnCount))", expected: columnCount,
                    found: rows[ragged].count))
        }
        try self.init(rowCount: rows.count, columnCount: columnCount, values: rows.flatMap { $0 })
    }

    /// Creates a matrix from a `[items, columns]` tensor, or a `[items]` tensor as one column.
    ///
    /// - Throws: ``MetricError`` when the tensor's rank is not 1 or 2.
    public init(_ tensor: Tensor) throws {
        switch tensor.rank {
        case 1:
            try self.init(
                rowCount: tensor.shape[0], columnCount: 1, values: tensor.scalars.map(Double.init))
        case 2:
            try self.init(
                rowCount: tensor.shape[0], columnCount: tensor.shape[1],
                values: tensor.scalars.map(Double.init))
        default:
            throw MetricError(
                "scores", .shapeMismatch("score tensor", expected: [-1, -1], found: tensor.shape))
        }
    }

    /// The score of item `row` for column `column`.
    public subscript(row: Int, column: Int) -> Double {
        values[row * columnCount + column]
    }

    /// The scores of item `row`.
    public func row(_ row: Int) -> ArraySlice<Double> {
        values[row * columnCount..<(row + 1) * columnCount]
    }

    /// The scores of every item for `column`.
    public func column(_ column: Int) -> [Double] {
        (0..<rowCount).map { values[$0 * columnCount + column] }
    }

    /// The index of each row's largest score; the first such index when several tie, as
    /// `torch.argmax` and `numpy.argmax` choose. NaN never wins unless it is first in its row:
    /// metrics check ``values`` are finite before they call this.
    ///
    /// - Throws: ``MetricError`` when there are items but no columns to choose from.
    public func rowArgmax() throws -> [Int] {
        guard columnCount > 0 || rowCount == 0 else {
            throw MetricError(
                "argmax", .shapeMismatch("scores", expected: [rowCount, -1], found: [rowCount, 0]))
        }
        return (0..<rowCount).map { row in
            let base = row * columnCount
            var best = 0
            for column in 1..<columnCount where values[base + column] > values[base + best] {
                best = column
            }
            return best
        }
    }

    /// Throws unless every score is finite, naming the first NaN or infinity by item and column.
    ///
    /// - Parameters:
    ///   - metric: The metric reported in the error.
    ///   - what: What the matrix holds, e.g. `"score"` or `"target"`.
    ///   - columnName: What a column is, e.g. `"label"` or `"class"`.
    func requireFinite(metric: String, what: String, columnName: String) throws {
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw MetricError(
                metric,
                .nonFinite(
                    "\(what) at item \(index / columnCount), \(columnName) \(index % columnCount)",
                    value: values[index]))
        }
    }
}
