import Foundation
import MusicSSLCore

/// Full-batch k-means (Lloyd's algorithm) with the semantics of scikit-learn's
/// `KMeans(algorithm="lloyd")`.
///
/// The data are centred on their mean first (scikit-learn does so for accurate GEMM
/// distances). Each iteration assigns every row to its nearest centre, moves each centre to the
/// mean of its rows, and gives an empty cluster the row farthest from its centre (taking it
/// from that row's cluster). The run stops when no label changed ("strict convergence"), when
/// Σ‖c_new − c_old‖² ≤ `tol` × the mean per-feature variance, or after `max_iter` iterations;
/// unless labels were stable, they are recomputed for the final centres. With several
/// k-means++ seedings the run with the lowest inertia wins, unless its clustering is the same
/// partition as the best so far.
///
/// ```swift
/// let result = try LloydKMeans(.init(clusterCount: 8)).fit(points, initialCentroids: seeds)
/// ```
public struct LloydKMeans {
    /// The parameters (scikit-learn's defaults unless changed).
    public var configuration: LloydKMeansConfiguration

    /// Creates the estimator.
    public init(_ configuration: LloydKMeansConfiguration) {
        self.configuration = configuration
    }

    /// Fits from `n_init` k-means++ seedings and keeps the best run.
    ///
    /// - Parameters:
    ///   - points: `[N, D]`, finite, N ≥ K.
    ///   - progress: Called after each iteration of each run.
    /// - Throws: ``KMeansError`` for invalid parameters or input.
    public func fit(
        _ points: Tensor, using generator: inout some RandomNumberGenerator,
        progress: ((KMeansProgress) -> Void)? = nil
    ) throws -> KMeansFitResult {
        try configuration.validate()
        let (n, D) = try KMeansError.checkMatrix(points, operation: "LloydKMeans.fit")
        try KMeansError.checkClusterCount(configuration.clusterCount, sampleCount: n)
        let centred = CentredRows(points)
        let seeding = KMeansPlusPlus(localTrialCount: configuration.localTrialCount)
        let trials = seeding.trialCount(forClusterCount: configuration.clusterCount)
        func seededRun() -> (run: LloydRun, labels: [Int32]) {
            let seeds = centred.rows.withBase { buffer in
                kMeansPlusPlusIndices(
                    buffer, count: n, dimensions: D,
                    squaredNorms: centred.squaredNorms,
                    clusterCount: configuration.clusterCount, trialCount: trials, using: &generator)
            }
            var initial = [Float](repeating: 0, count: seeds.count * D)
            for (row, index) in seeds.enumerated() {
                for d in 0..<D { initial[row * D + d] = centred.rows[index * D + d] }
            }
            return runLloyd(centred, initial: initial, progress: progress)
        }
        var best = seededRun()
        for _ in 1..<configuration.initializationCount {
            let candidate = seededRun()
            if candidate.run.inertia < best.run.inertia
                && !isSamePartition(
                    candidate.labels, best.labels, clusterCount: configuration.clusterCount)
            {
                best = candidate
            }
        }
        return try best.run.result(restoring: centred)
    }

    /// One run from `initialCentroids`, as scikit-learn's `KMeans(init=array, n_init=1)`.
    ///
    /// - Parameters:
    ///   - points: `[N, D]`, finite, N ≥ K.
    ///   - initialCentroids: `[K, D]`.
    /// - Throws: ``KMeansError`` for invalid parameters, input or initial centroids.
    public func fit(
        _ points: Tensor, initialCentroids: Tensor, progress: ((KMeansProgress) -> Void)? = nil
    ) throws -> KMeansFitResult {
        try configuration.validate()
        let (n, D) = try KMeansError.checkMatrix(points, operation: "LloydKMeans.fit")
        try KMeansError.checkClusterCount(configuration.clusterCount, sampleCount: n)
        let (k, _) = try KMeansError.checkMatrix(
            initialCentroids, dimensions: D, operation: "LloydKMeans initial centroids")
        guard k == configuration.clusterCount else {
            throw KMeansError.invalidArgument(
                "initial centroids \(initialCentroids.shape) do not hold n_clusters = \(configuration.clusterCount) rows"
            )
        }
        let centred = CentredRows(points)
        var initial = initialCentroids.scalars
        for row in 0..<k {
            for d in 0..<D { initial[row * D + d] -= centred.mean[d] }
        }
        return try runLloyd(centred, initial: initial, progress: progress).run.result(
            restoring: centred)
    }

    /// scikit-learn's `_kmeans_single_lloyd` on centred rows.
    private func runLloyd(
        _ data: CentredRows, initial: [Float], progress: ((KMeansProgress) -> Void)?
    ) -> (run: LloydRun, labels: [Int32]) {
        let (n, D, K) = (data.count, data.dimensions, configuration.clusterCount)
        let tolerance = data.meanVariance * configuration.tolerance
        let search = NearestCentroids(centroids: initial, clusterCount: K, dimensions: D)
        var centroids = initial
        var labels = [Int32](repeating: -1, count: n)
        var previousLabels = labels
        var isStrictlyConverged = false
        var stopReason = KMeansStopReason.iterationLimit
        var iterations = 0
        for iteration in 0..<configuration.maximumIterations {
            data.rows.withBase { rows in
                labels.withMutableBase {
                    search.assign(rows, count: n, labels: $0)
                }
            }
            let updated = data.rows.withBase {
                LloydUpdate(
                    rows: $0, count: n, dimensions: D, clusterCount: K,
                    labels: labels, previousCentroids: centroids
                ).centroids
            }
            var shift: Double = 0
            for i in 0..<updated.count {
                let difference = Double(updated[i]) - Double(centroids[i])
                shift += difference * difference
            }
            centroids = updated
            search.replaceCentroids(centroids)
            iterations = iteration + 1
            progress?(
                .iteration(
                    completed: iterations, maximum: configuration.maximumIterations,
                    meanInertia: nil))
            if labels == previousLabels {
                isStrictlyConverged = true
                stopReason = .labelsUnchanged
                break
            }
            if shift <= tolerance {
                stopReason = .centreShiftWithinTolerance
                break
            }
            previousLabels = labels
        }
        var distances = [Float](repeating: 0, count: n)
        data.rows.withBase { rows in
            labels.withMutableBase { labelBuffer in
                distances.withMutableBase { distanceBuffer in
                    if isStrictlyConverged {
                        // Labels already belong to the final centres; only distances are new.
                        let c = centroids
                        for i in 0..<n {
                            let label = Int(labelBuffer[i])
                            distanceBuffer[i] = c.withBase {
                                squaredDistance(
                                    rows + i * D, $0 + label * D, D)
                            }
                        }
                    } else {
                        search.assign(
                            rows, count: n, labels: labelBuffer,
                            squaredDistances: distanceBuffer)
                    }
                }
            }
        }
        let inertia = distances.reduce(0) { $0 + Double($1) }
        return (
            LloydRun(
                centroids: centroids, clusterCount: K, inertia: inertia, iterationCount: iterations,
                stopReason: stopReason),
            labels
        )
    }
}

/// scikit-learn's `_is_same_clustering`: whether two labellings are the same partition up to a
/// renaming of the clusters.
func isSamePartition(_ a: [Int32], _ b: [Int32], clusterCount: Int) -> Bool {
    var mapping = [Int32](repeating: -1, count: clusterCount)
    for (x, y) in zip(a, b) {
        if mapping[Int(x)] == -1 {
            mapping[Int(x)] = y
        } else if mapping[Int(x)] != y {
            return false
        }
    }
    return true
}

/// The outcome of one Lloyd run in centred coordinates.
private struct LloydRun {
    let centroids: [Float]
    let clusterCount: Int
    let inertia: Double
    let iterationCount: Int
    let stopReason: KMeansStopReason

    /// The result with the data mean added back to the centroids.
    func result(restoring data: CentredRows) throws -> KMeansFitResult {
        let D = data.dimensions
        var restored = centroids
        for i in 0..<restored.count { restored[i] += data.mean[i % D] }
        return KMeansFitResult(
            centroids: try Tensor(shape: [clusterCount, D], scalars: restored), inertia: inertia,
            iterationCount: iterationCount, stopReason: stopReason)
    }
}
