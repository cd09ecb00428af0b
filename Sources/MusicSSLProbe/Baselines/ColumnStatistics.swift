/// Per-column mean and population standard deviation of row-major matrices, accumulated in
/// `Double`.
struct ColumnStatistics {
    private var sum: [Double]
    private var square: [Double]
    private(set) var rowCount = 0

    /// Statistics of no row yet, over `columns` columns.
    init(columns: Int) {
        sum = [Double](repeating: 0, count: columns)
        square = [Double](repeating: 0, count: columns)
    }

    /// Adds every row of the row-major `values` (a whole number of rows).
    mutating func add(_ values: [Float]) {
        let columns = sum.count
        for row in 0..<(values.count / columns) {
            for column in 0..<columns {
                let value = Double(values[row * columns + column])
                sum[column] += value
                square[column] += value * value
            }
        }
        rowCount += values.count / columns
    }

    /// Each column's mean (0 with no row).
    var means: [Double] { sum.map { $0 / Double(max(rowCount, 1)) } }

    /// Each column's population standard deviation (0 with no row).
    var deviations: [Double] {
        let means = means
        return square.indices.map { column in
            max(square[column] / Double(max(rowCount, 1)) - means[column] * means[column], 0)
                .squareRoot()
        }
    }
}
