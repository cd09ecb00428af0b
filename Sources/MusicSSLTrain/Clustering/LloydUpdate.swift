/// The M step of one Lloyd iteration, as scikit-learn's `lloyd_iter_chunked_dense` with
/// `_relocate_empty_clusters_dense` and `_average_centers`: each centre becomes the mean of its
/// rows; an empty cluster takes the row farthest from its previous centre.
struct LloydUpdate {
    /// The new centres, [K, D].
    let centroids: [Float]

    /// - Parameters:
    ///   - rows: [count, dimensions].
    ///   - labels: the nearest previous centre of each row.
    ///   - previousCentroids: [K, D], the centres `labels` refer to.
    init(
        rows: UnsafePointer<Float>, count n: Int, dimensions D: Int, clusterCount K: Int,
        labels: [Int32], previousCentroids: [Float]
    ) {
        var sums = [Double](repeating: 0, count: K * D)
        var weights = [Double](repeating: 0, count: K)
        for i in 0..<n {
            let label = Int(labels[i])
            weights[label] += 1
            for d in 0..<D { sums[label * D + d] += Double(rows[i * D + d]) }
        }
        let empty = (0..<K).filter { weights[$0] == 0 }
        if !empty.isEmpty {
            // The rows farthest from their centres, farthest first.
            let distances = (0..<n).map { i in
                Double(
                    squaredDistance(
                        rows + i * D,
                        previousCentroids.withBase {
                            $0 + Int(labels[i]) * D
                        }, D))
            }
            if let largest = distances.max(), largest > 0 {
                let farthest = (0..<n).sorted { (distances[$0], $1) > (distances[$1], $0) }
                for (cluster, row) in zip(empty, farthest) {
                    let previous = Int(labels[row])
                    for d in 0..<D {
                        let value = Double(rows[row * D + d])
                        sums[previous * D + d] -= value
                        sums[cluster * D + d] = value
                    }
                    weights[cluster] = 1
                    weights[previous] -= 1
                }
            }
        }
        let heaviest = weights.indices.max { weights[$0] < weights[$1] } ?? 0
        var centroids = [Float](repeating: 0, count: K * D)
        for k in 0..<K {
            if weights[k] > 0 {
                for d in 0..<D { centroids[k * D + d] = Float(sums[k * D + d] / weights[k]) }
            }
        }
        for k in 0..<K where weights[k] <= 0 {
            // Still empty (all rows coincide with their centres): sit on the heaviest cluster.
            for d in 0..<D { centroids[k * D + d] = centroids[heaviest * D + d] }
        }
        self.centroids = centroids
    }
}
