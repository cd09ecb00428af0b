import MusicSSLCore

/// Multi-label targets: for each of `rowCount` items, which of `columnCount` labels apply.
///
/// ```swift
/// let targets = try MultiHotLabels(rows: [[true, false], [false, true], [true, true]])
/// ```
public struct MultiHotLabels: Sendable, Equatable {
    /// Number of items (rows).
    public let rowCount: Int
    /// Number of labels (columns).
    public let columnCount: Int
    /// Row-major flags: item `i` carries label `j` when `values[i * columnCount + j]` is true.
    public let values: [Bool]

    /// Creates targets from row-major flags.
    ///
    /// - Throws: ``MetricError`` when a count is negative or `values.count` is not
    ///   `rowCount * columnCount`.
    public init(rowCount: Int, columnCount: Int, values: [Bool]) throws {
        guard rowCount >= 0, columnCount >= 0, values.count == rowCount * columnCount else {
            throw MetricError(
                "targets",
                .shapeMismatch(
                    "\(values.count) flags for \(rowCount) rows of \(columnCount)",
                    expected: [rowCount, columnCount], found: [values.count]))
        }
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.values = values
    }

    /// Creates targets from one array of flags per item; every row must have the same length.
    ///
    /// - Throws: ``MetricError`` naming the first row whose length differs from row 0's.
    public init(rows: [[Bool]]) throws {
        let columnCount = rows.first?.count ?? 0
        if let ragged = rows.firstIndex(where: { $0.count != columnCount }) {
            throw MetricError(
                "targets",
                .countMismatch(
                    "row \(ragged) length (row 0 has \(columnCount))", expected: columnCount,
                    found: rows[ragged].count))
        }
        try self.init(rowCount: rows.count, columnCount: columnCount, values: rows.flatMap { $0 })
    }

    /// Creates targets from a 0/1 matrix (a multi-hot tensor read from a label file).
    ///
    /// - Throws: ``MetricError`` naming the first entry that is neither 0 nor 1.
    public init(_ matrix: ScoreMatrix) throws {
        if let index = matrix.values.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw MetricError(
                "targets",
                .notBinary(
                    "target at item \(index / matrix.columnCount), label "
                        + "\(index % matrix.columnCount)", value: matrix.values[index]))
        }
        try self.init(
            rowCount: matrix.rowCount, columnCount: matrix.columnCount,
            values: matrix.values.map { $0 == 1 })
    }

    /// Creates targets from a `[items, labels]` tensor of zeros and ones.
    ///
    /// - Throws: ``MetricError`` when the rank is not 2 or an entry is neither 0 nor 1.
    public init(_ tensor: Tensor) throws {
        guard tensor.rank == 2 else {
            throw MetricError(
                "targets", .shapeMismatch("target tensor", expected: [-1, -1], found: tensor.shape))
        }
        try self.init(try ScoreMatrix(tensor))
    }

    /// The flags of every item for `column`.
    public func column(_ column: Int) -> [Bool] {
        (0..<rowCount).map { values[$0 * columnCount + column] }
    }
}
