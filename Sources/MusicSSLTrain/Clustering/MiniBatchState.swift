import Foundation
import MusicSSLCore

/// The centres, counts and reusable buffers of a ``MiniBatchKMeans`` run, and its step: what
/// scikit-learn's `_mini_batch_step` and `_minibatch_update_dense` do.
final class MiniBatchState {
    let clusterCount: Int
    let dimensions: Int
    let batchSize: Int
    /// Centres before the current step, [K, D].
    private(set) var centroids: [Float]
    /// Centres after the current step, [K, D].
    private var updated: [Float]
    /// Samples each centre has absorbed so far (scikit-learn's `_counts`).
    private var counts: [Double]
    /// The current batch, [batchSize, D].
    private var batch: [Float]
    /// Rows of the data in the current batch.
    private var indices: [Int]
    private var labels: [Int32]
    private var squaredDistances: [Float]
    private var sums: [Double]
    private var batchCounts: [Int]
    private var samplesSinceReassignment = 0
    private let search: NearestCentroids

    init(centroids: [Float], clusterCount: Int, dimensions: Int, batchSize: Int) {
        self.clusterCount = clusterCount
        self.dimensions = dimensions
        self.batchSize = batchSize
        self.centroids = centroids
        updated = centroids
        counts = [Double](repeating: 0, count: clusterCount)
        batch = [Float](repeating: 0, count: batchSize * dimensions)
        indices = [Int](repeating: 0, count: batchSize)
        labels = [Int32](repeating: 0, count: batchSize)
        squaredDistances = [Float](repeating: 0, count: batchSize)
        sums = [Double](repeating: 0, count: clusterCount * dimensions)
        batchCounts = [Int](repeating: 0, count: clusterCount)
        search = NearestCentroids(
            centroids: centroids, clusterCount: clusterCount, dimensions: dimensions)
    }

    /// Copies `batchSize` rows drawn uniformly with replacement into the batch buffer.
    func drawBatch(
        from points: UnsafePointer<Float>, sampleCount: Int,
        using generator: inout some RandomNumberGenerator
    ) {
        for row in 0..<batchSize {
            indices[row] = Int.random(in: 0..<sampleCount, using: &generator)
        }
        // Rows are scattered over the whole matrix: two threads keep more cache misses in flight.
        let (D, b) = (dimensions, batchSize)
        let workers = Swift.max(1, Swift.min(Parallelism.threadCount, b * D / (1 << 16)))
        indices.withBase { indexBuffer in
            batch.withMutableBase { target in
                let (indices, target) = (indexBuffer, target)
                func copy(worker: Int) {
                    for row in (b * worker / workers)..<(b * (worker + 1) / workers) {
                        let source = points + indices[row] * D, destination = target + row * D
                        for d in 0..<D { destination[d] = source[d] }
                    }
                }
                if workers == 1 {
                    copy(worker: 0)
                } else {
                    DispatchQueue.concurrentPerform(iterations: workers, execute: copy)
                }
            }
        }
    }

    /// scikit-learn's `_random_reassign`: true when some centre is still empty or 10 × K samples
    /// went by since the last reassignment (whose counter it then resets).
    func isReassignmentDue(ratio: Double) -> Bool {
        samplesSinceReassignment += batchSize
        if counts.contains(0) || samplesSinceReassignment >= 10 * clusterCount {
            samplesSinceReassignment = 0
            return true
        }
        return false
    }

    /// Assigns the batch to the current centres and moves each centre that received rows to
    /// the running mean; returns the batch inertia, Σ‖x − c_label‖² before the move.
    func step() -> Double {
        let (K, D, b) = (clusterCount, dimensions, batchSize)
        batch.withBase { rows in
            labels.withMutableBase { labelBuffer in
                squaredDistances.withMutableBase { distanceBuffer in
                    search.assign(
                        rows, count: b, labels: labelBuffer,
                        squaredDistances: distanceBuffer)
                }
            }
        }
        var inertia: Double = 0
        for distance in squaredDistances { inertia += Double(distance) }

        for k in 0..<K { batchCounts[k] = 0 }
        for i in 0..<(K * D) { sums[i] = 0 }
        batch.withBase { rows in
            sums.withMutableBase { sums in
                for row in 0..<b {
                    let label = Int(labels[row])
                    batchCounts[label] += 1
                    let source = rows + row * D, target = sums + label * D
                    for d in 0..<D { target[d] += Double(source[d]) }
                }
            }
        }
        for k in 0..<K {
            let received = batchCounts[k]
            guard received > 0 else {
                for d in 0..<D { updated[k * D + d] = centroids[k * D + d] }
                continue
            }
            // Undo the old mean's scaling, add the new rows, divide by the new count.
            let oldCount = counts[k], newCount = oldCount + Double(received)
            for d in 0..<D {
                let total = Double(centroids[k * D + d]) * oldCount + sums[k * D + d]
                updated[k * D + d] = Float(total / newCount)
            }
            counts[k] = newCount
        }
        return inertia
    }

    /// scikit-learn's low-count reassignment: centres whose count is below `ratio` × the
    /// largest (at most half a batch of them, the smallest counts first) move to distinct
    /// random rows of the batch, and their counts become the smallest remaining count.
    func reassignSmallClusters(ratio: Double, using generator: inout some RandomNumberGenerator) {
        guard ratio > 0, let largest = counts.max() else { return }
        var chosen = (0..<clusterCount).filter { counts[$0] < ratio * largest }
        let limit = Int(0.5 * Double(batchSize))
        if chosen.count > limit {
            // Keep the `limit` smallest counts (ties by index), in index order.
            let smallest = (0..<clusterCount).sorted { (counts[$0], $0) < (counts[$1], $1) }
            chosen = Set(smallest.prefix(limit)).intersection(chosen).sorted()
        }
        let remaining = Set(0..<clusterCount).subtracting(chosen)
        guard !chosen.isEmpty, let floor = remaining.map({ counts[$0] }).min() else { return }
        // Distinct batch rows, uniformly: a partial Fisher–Yates shuffle.
        var rows = Array(0..<batchSize)
        for i in 0..<chosen.count {
            rows.swapAt(i, Int.random(in: i..<batchSize, using: &generator))
        }
        let D = dimensions
        for (k, row) in zip(chosen, rows) {
            for d in 0..<D { updated[k * D + d] = batch[row * D + d] }
            counts[k] = floor
        }
    }

    /// Σ‖c_new − c_old‖² of the current step.
    func squaredCentreShift() -> Double {
        var sum: Double = 0
        for i in 0..<centroids.count {
            let difference = Double(updated[i] - centroids[i])
            sum += difference * difference
        }
        return sum
    }

    /// Makes the updated centres current.
    func commit() {
        swap(&centroids, &updated)
        search.replaceCentroids(centroids)
    }
}
