import MusicSSLCore

/// A copy of an `[N, D]` matrix with its column means subtracted, its row norms and its mean
/// per-feature variance, as scikit-learn's `KMeans.fit` prepares the data.
struct CentredRows {
    let count: Int
    let dimensions: Int
    /// [N, D] row-major, centred.
    let rows: [Float]
    /// Column means, [D].
    let mean: [Float]
    /// ‖x_i − mean‖² per row.
    let squaredNorms: [Float]
    /// Mean over columns of the (ddof 0) variance, scikit-learn's `_tolerance` scale.
    let meanVariance: Double

    init(_ points: Tensor) {
        let (n, D) = (points.shape[0], points.shape[1])
        count = n
        dimensions = D
        var sums = [Double](repeating: 0, count: D)
        var rows = points.scalars
        for i in 0..<n {
            for d in 0..<D { sums[d] += Double(rows[i * D + d]) }
        }
        let mean = sums.map { Float($0 / Double(n)) }
        var variances = [Double](repeating: 0, count: D)
        for i in 0..<n {
            for d in 0..<D {
                rows[i * D + d] -= mean[d]
                variances[d] += Double(rows[i * D + d]) * Double(rows[i * D + d])
            }
        }
        self.rows = rows
        self.mean = mean
        meanVariance = variances.reduce(0, +) / Double(n) / Double(D)
        squaredNorms = rows.withBase {
            rowSquaredNorms($0, count: n, dimensions: D)
        }
    }
}
