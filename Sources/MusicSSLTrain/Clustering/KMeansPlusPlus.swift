import Foundation
import MusicSSLCore

/// Greedy k-means++ seeding, as scikit-learn's `_kmeans_plusplus` (Arthur & Vassilvitskii,
/// 2007, with the greedy local trials their conclusion mentions).
///
/// The first centre is a uniformly drawn point. Each further centre draws ``localTrialCount``
/// candidates with probability proportional to D², the squared distance to the nearest centre
/// chosen so far (a draw of `u · potential` located in the cumulative sum of D², numpy's
/// `searchsorted`), and keeps the candidate that leaves the smallest potential Σ D². Every
/// centre is a data point; duplicate points can make two centres equal.
///
/// ```swift
/// var generator = SplitMix64(seed: 0)
/// let seeding = try KMeansPlusPlus().centroids(of: features, count: 500, using: &generator)
/// seeding.centroids   // [500, D]
/// ```
public struct KMeansPlusPlus: Sendable {
    /// Candidates drawn per centre after the first; `nil` for scikit-learn's 2 + ⌊ln k⌋.
    public var localTrialCount: Int?

    /// The chosen centres and where they come from.
    public struct Seeding {
        /// `[clusterCount, dimensions]`: rows of the data.
        public let centroids: Tensor
        /// The row of the data each centre copies.
        public let indices: [Int]
    }

    /// Creates the seeding; see ``localTrialCount``.
    public init(localTrialCount: Int? = nil) {
        self.localTrialCount = localTrialCount
    }

    /// The number of candidates per centre for `clusterCount` centres.
    public func trialCount(forClusterCount clusterCount: Int) -> Int {
        localTrialCount ?? 2 + Int(log(Double(Swift.max(clusterCount, 1))))
    }

    /// Seeds `clusterCount` centres among the rows of `points`.
    ///
    /// - Parameter points: `[samples, dimensions]`, finite.
    /// - Throws: ``KMeansError`` when `points` is not a finite matrix, holds fewer rows than
    ///   `clusterCount`, or a count is not positive.
    public func centroids(
        of points: Tensor, count clusterCount: Int,
        using generator: inout some RandomNumberGenerator
    ) throws -> Seeding {
        let (sampleCount, dimensions) = try KMeansError.checkMatrix(points, operation: "k-means++")
        try KMeansError.checkClusterCount(clusterCount, sampleCount: sampleCount)
        let trials = trialCount(forClusterCount: clusterCount)
        guard trials >= 1 else {
            throw KMeansError.invalidArgument(
                "k-means++ needs at least 1 local trial, got \(trials)")
        }
        let indices = points.withBase { buffer in
            let norms = rowSquaredNorms(
                buffer, count: sampleCount, dimensions: dimensions)
            return kMeansPlusPlusIndices(
                buffer, count: sampleCount, dimensions: dimensions,
                squaredNorms: norms, clusterCount: clusterCount, trialCount: trials,
                using: &generator)
        }
        let centroids = try gatherRows(of: points, at: indices)
        return Seeding(centroids: centroids, indices: indices)
    }
}

/// ‖x_i‖² of each of `count` rows.
func rowSquaredNorms(_ points: UnsafePointer<Float>, count: Int, dimensions: Int) -> [Float] {
    (0..<count).map { squaredNorm(points + $0 * dimensions, dimensions) }
}

/// The rows of `points` at `indices`, as a `[indices.count, D]` tensor.
func gatherRows(of points: Tensor, at indices: [Int]) throws -> Tensor {
    let dimensions = points.shape[1]
    var scalars = [Float](repeating: 0, count: indices.count * dimensions)
    points.withBase { source in
        scalars.withMutableBase { target in
            for (row, index) in indices.enumerated() {
                (target + row * dimensions).update(
                    from: source + index * dimensions, count: dimensions)
            }
        }
    }
    return try Tensor(shape: [indices.count, dimensions], scalars: scalars)
}

/// scikit-learn's `_kmeans_plusplus` on raw rows; returns the chosen row indices.
func kMeansPlusPlusIndices(
    _ points: UnsafePointer<Float>, count n: Int, dimensions D: Int, squaredNorms: [Float],
    clusterCount: Int, trialCount: Int, using generator: inout some RandomNumberGenerator
) -> [Int] {
    var indices = [Int.random(in: 0..<n, using: &generator)]
    indices.reserveCapacity(clusterCount)
    let pass = CandidateDistances(
        points: points, count: n, dimensions: D, norms: squaredNorms, maximumCandidates: trialCount)
    // closest[i]: D² of point i to its nearest chosen centre.
    var closest = [Float](repeating: 0, count: n)
    var potential = pass.run(candidates: indices, closest: nil)[0]
    pass.copyDistances(ofCandidate: 0, to: &closest)
    let sampler = PotentialSampler(count: n)
    for _ in 1..<clusterCount {
        sampler.prepare(closest)
        let candidates = (0..<trialCount).map { _ -> Int in
            sampler.index(at: Double.random(in: 0..<1, using: &generator) * potential, in: closest)
        }
        let potentials = closest.withBase {
            pass.run(candidates: candidates, closest: $0)
        }
        var best = 0
        for t in 1..<trialCount where potentials[t] < potentials[best] { best = t }
        potential = potentials[best]
        pass.copyDistances(ofCandidate: best, to: &closest)
        indices.append(candidates[best])
    }
    return indices
}
