import Foundation
import MusicSSLCore

/// Mini-batch k-means with the semantics of scikit-learn 1.x's `MiniBatchKMeans.fit`, as
/// fairseq's `learn_kmeans.py` runs it for HuBERT's labels (Sculley, 2010).
///
/// 1. A validation sample of `init_size` rows is drawn (with replacement).
/// 2. `n_init` times: k-means++ (``KMeansPlusPlus``) seeds K centres on a fresh random sample
///    of `init_size` rows; the seeding with the lowest inertia on the validation sample wins.
/// 3. Up to ⌊max_iter · N / batch_size⌋ steps, each on `batch_size` rows drawn uniformly with
///    replacement: assign every row to its nearest centre, then move each centre that received
///    rows to the running mean of everything it ever received (old centre × count + new rows,
///    over count + new rows: a learning rate of 1/count per row). Centres whose count is below
///    `reassignment_ratio` × the largest may be moved to random batch rows (off in fairseq).
/// 4. Stop early when the squared centre change is within `tol` (off in fairseq), or when an
///    exponentially weighted average of the per-sample batch inertia (α = 2·batch/(N+1),
///    starting at the second step) has gone `max_no_improvement` steps without a new minimum.
///
/// The random streams differ from numpy's, so results match scikit-learn's in distribution,
/// not bit for bit. Distances come from `NearestCentroids` (GEMM blocks across threads).
///
/// ```swift
/// var generator = SplitMix64(seed: 0)
/// let result = try MiniBatchKMeans(.init(clusterCount: 500)).fit(mfcc, using: &generator)
/// ```
public struct MiniBatchKMeans {
    /// The parameters (fairseq's by default).
    public var configuration: MiniBatchKMeansConfiguration

    /// Creates the estimator.
    public init(_ configuration: MiniBatchKMeansConfiguration) {
        self.configuration = configuration
    }

    /// Fits centres to the rows of `points`.
    ///
    /// - Parameters:
    ///   - points: `[N, D]`, finite, N ≥ K.
    ///   - progress: Called after each seeding and each step.
    /// - Throws: ``KMeansError`` for invalid parameters, a non-finite or non-matrix input, or
    ///   fewer rows than clusters.
    public func fit(
        _ points: Tensor, using generator: inout some RandomNumberGenerator,
        progress: ((KMeansProgress) -> Void)? = nil
    ) throws -> KMeansFitResult {
        try configuration.validate()
        let (n, D) = try KMeansError.checkMatrix(points, operation: "MiniBatchKMeans.fit")
        let K = configuration.clusterCount
        try KMeansError.checkClusterCount(K, sampleCount: n)
        let batchSize = configuration.effectiveBatchSize(sampleCount: n)
        let tolerance =
            configuration.tolerance > 0 ? meanFeatureVariance(points) * configuration.tolerance : 0
        let stepCount = configuration.stepCount(sampleCount: n)

        let initial = try bestSeeding(points, using: &generator, progress: progress)
        let state = MiniBatchState(
            centroids: initial, clusterCount: K, dimensions: D, batchSize: batchSize)
        var monitor = MiniBatchConvergence(
            batchSize: batchSize, sampleCount: n, tolerance: tolerance,
            maximumStepsWithoutImprovement: configuration.maximumStepsWithoutImprovement)
        var stepsRun = 0
        var stopReason = KMeansStopReason.iterationLimit
        points.withBase { data in
            for step in 0..<stepCount {
                state.drawBatch(from: data, sampleCount: n, using: &generator)
                let reassigns = state.isReassignmentDue(ratio: configuration.reassignmentRatio)
                let batchInertia = state.step()
                if reassigns {
                    state.reassignSmallClusters(
                        ratio: configuration.reassignmentRatio, using: &generator)
                }
                let shift = tolerance > 0 ? state.squaredCentreShift() : 0
                state.commit()
                stepsRun = step + 1
                let reason = monitor.update(
                    step: step, batchInertia: batchInertia, squaredCentreShift: shift)
                progress?(
                    .iteration(
                        completed: stepsRun, maximum: stepCount, meanInertia: monitor.averageInertia
                    ))
                if let reason {
                    stopReason = reason
                    break
                }
            }
        }
        let meanInertia = monitor.averageInertia ?? monitor.lastBatchInertia ?? 0
        return KMeansFitResult(
            centroids: try Tensor(shape: [K, D], scalars: state.centroids),
            inertia: meanInertia * Double(n), iterationCount: stepsRun, stopReason: stopReason)
    }

    /// The best of `n_init` k-means++ seedings, each on its own random sample of `init_size`
    /// rows, judged by inertia on one validation sample of the same size.
    private func bestSeeding(
        _ points: Tensor, using generator: inout some RandomNumberGenerator,
        progress: ((KMeansProgress) -> Void)?
    ) throws -> [Float] {
        let (n, D) = (points.shape[0], points.shape[1])
        let K = configuration.clusterCount
        let sampleSize = configuration.effectiveInitializationSize(sampleCount: n)
        let seeding = KMeansPlusPlus(localTrialCount: configuration.localTrialCount)
        let trials = seeding.trialCount(forClusterCount: K)
        let validation = try gatherRows(
            of: points, at: (0..<sampleSize).map { _ in Int.random(in: 0..<n, using: &generator) })
        func seed(_ index: Int) throws -> (centroids: [Float], inertia: Double) {
            let sample = try gatherRows(
                of: points,
                at: (0..<sampleSize).map { _ in Int.random(in: 0..<n, using: &generator) })
            let chosen = sample.withBase { buffer in
                kMeansPlusPlusIndices(
                    buffer, count: sampleSize, dimensions: D,
                    squaredNorms: rowSquaredNorms(
                        buffer, count: sampleSize, dimensions: D),
                    clusterCount: K, trialCount: trials, using: &generator)
            }
            let centroids = try gatherRows(of: sample, at: chosen).scalars
            let inertia = try KMeansModel(
                centroids: try Tensor(shape: [K, D], scalars: centroids)
            ).inertia(of: validation)
            progress?(.seeding(completed: index + 1, total: configuration.initializationCount))
            return (centroids, inertia)
        }
        var best = try seed(0)
        for index in 1..<configuration.initializationCount {
            let candidate = try seed(index)
            if candidate.inertia < best.inertia { best = candidate }
        }
        return best.centroids
    }
}

/// scikit-learn's `_tolerance` scale: the mean over features of the variance (ddof 0).
func meanFeatureVariance(_ points: Tensor) -> Double {
    let (n, D) = (points.shape[0], points.shape[1])
    var sums = [Double](repeating: 0, count: D), squares = [Double](repeating: 0, count: D)
    points.withBase { values in
        for i in 0..<n {
            for d in 0..<D {
                let value = Double(values[i * D + d])
                sums[d] += value
                squares[d] += value * value
            }
        }
    }
    let variances = (0..<D).map { d -> Double in
        let mean = sums[d] / Double(n)
        return Swift.max(0, squares[d] / Double(n) - mean * mean)
    }
    return variances.reduce(0, +) / Double(D)
}
