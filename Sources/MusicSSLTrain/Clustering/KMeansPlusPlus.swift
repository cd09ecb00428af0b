import CBLAS
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
            throw KMeansError.invalidArgument("k-means++ needs at least 1 local trial, got \(trials)")
        }
        let indices = points.withUnsafeBufferPointer { buffer in
            let norms = rowSquaredNorms(buffer.baseAddress!, count: sampleCount, dimensions: dimensions)
            return kMeansPlusPlusIndices(
                buffer.baseAddress!, count: sampleCount, dimensions: dimensions,
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
    points.withUnsafeBufferPointer { source in
        scalars.withUnsafeMutableBufferPointer { target in
            for (row, index) in indices.enumerated() {
                (target.baseAddress! + row * dimensions).update(
                    from: source.baseAddress! + index * dimensions, count: dimensions)
            }
        }
    }
    return try Tensor(shape: [indices.count, dimensions], scalars: scalars)
}

/// Points per block of the candidate-distance pass; fixed, so potentials are summed in the same
/// order whatever the thread count.
private let pointsPerBlock = 4096

/// scikit-learn's `_kmeans_plusplus` on raw rows; returns the chosen row indices.
func kMeansPlusPlusIndices(
    _ points: UnsafePointer<Float>, count n: Int, dimensions D: Int, squaredNorms: [Float],
    clusterCount: Int, trialCount: Int, using generator: inout some RandomNumberGenerator
) -> [Int] {
    var indices = [Int.random(in: 0..<n, using: &generator)]
    indices.reserveCapacity(clusterCount)
    let pass = CandidateDistances(points: points, count: n, dimensions: D, norms: squaredNorms, maximumCandidates: trialCount)
    // closest[i]: D² of point i to its nearest chosen centre.
    var closest = [Float](repeating: 0, count: n)
    var potential = pass.run(candidates: indices, closest: nil)[0]
    pass.copyDistances(ofCandidate: 0, to: &closest)
    var cumulative = [Double](repeating: 0, count: n)
    for _ in 1..<clusterCount {
        var running: Double = 0
        for i in 0..<n {
            running += Double(closest[i])
            cumulative[i] = running
        }
        let candidates = (0..<trialCount).map { _ -> Int in
            let target = Double.random(in: 0..<1, using: &generator) * potential
            // numpy.searchsorted(side="left"): the first i with cumulative[i] ≥ target,
            // clipped to the last index against rounding.
            var low = 0, high = n
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] < target { low = middle + 1 } else { high = middle }
            }
            return Swift.min(low, n - 1)
        }
        let potentials = closest.withUnsafeBufferPointer {
            pass.run(candidates: candidates, closest: $0.baseAddress!)
        }
        var best = 0
        for t in 1..<trialCount where potentials[t] < potentials[best] { best = t }
        potential = potentials[best]
        pass.copyDistances(ofCandidate: best, to: &closest)
        indices.append(candidates[best])
    }
    return indices
}

/// For each candidate row t: `min(closest[i], ‖x_i − x_t‖²)` over all points i (just the
/// distance when `closest` is nil), and the sum of those over i, the potential if t were
/// chosen. Buffers are allocated once and reused for every centre.
private final class CandidateDistances {
    let points: UnsafePointer<Float>
    let n: Int, D: Int
    let norms: [Float]
    let maximumCandidates: Int
    /// [maximumCandidates, n]
    private let distances: UnsafeMutablePointer<Float>
    /// [maximumCandidates, D]
    private let chosen: UnsafeMutablePointer<Float>
    /// [blocks, maximumCandidates]
    private let blockSums: UnsafeMutablePointer<Double>
    private let blockCount: Int

    init(points: UnsafePointer<Float>, count: Int, dimensions: Int, norms: [Float], maximumCandidates: Int) {
        self.points = points
        n = count
        D = dimensions
        self.norms = norms
        self.maximumCandidates = maximumCandidates
        blockCount = (count + pointsPerBlock - 1) / pointsPerBlock
        distances = .allocate(capacity: maximumCandidates * count)
        chosen = .allocate(capacity: maximumCandidates * dimensions)
        blockSums = .allocate(capacity: blockCount * maximumCandidates)
    }

    deinit {
        distances.deallocate()
        chosen.deallocate()
        blockSums.deallocate()
    }

    /// Fills the distances of `candidates` (at most ``maximumCandidates`` row indices) and
    /// returns their potentials.
    func run(candidates: [Int], closest: UnsafePointer<Float>?) -> [Double] {
        let T = candidates.count
        let (n, D, points, out, sums, c) = (n, D, points, distances, blockSums, chosen)
        for (t, index) in candidates.enumerated() {
            (c + t * D).update(from: points + index * D, count: D)
        }
        norms.withUnsafeBufferPointer { normBuffer in
            let norms = normBuffer.baseAddress!
            func run(block: Int) {
                let start = block * pointsPerBlock
                let rows = Swift.min(pointsPerBlock, n - start)
                // out[t, start + i] = −2 x_t·x_i for the block's points.
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(T), Int32(rows), Int32(D),
                    -2, c, Int32(D), points + start * D, Int32(D), 0, out + start, Int32(n))
                for t in 0..<T {
                    let row = out + t * n + start
                    let candidateNorm = norms[candidates[t]]
                    var sum: Double = 0
                    for i in 0..<rows {
                        // Rounding can make the expansion slightly negative; sklearn clips at 0.
                        var value = Swift.max(0, row[i] + norms[start + i] + candidateNorm)
                        if let closest { value = Swift.min(value, closest[start + i]) }
                        row[i] = value
                        sum += Double(value)
                    }
                    sums[block * T + t] = sum
                }
            }
            let workers = Swift.min(
                Parallelism.threadCount, blockCount,
                Swift.max(1, n * T * D / Swift.max(Parallelism.minimumElementsPerThread, 1)))
            BLAS.withSingleThreadedGEMM {
                if workers <= 1 {
                    for block in 0..<blockCount { run(block: block) }
                } else {
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        let first = blockCount * worker / workers
                        let end = blockCount * (worker + 1) / workers
                        for block in first..<end { run(block: block) }
                    }
                }
            }
        }
        var potentials = [Double](repeating: 0, count: T)
        for block in 0..<blockCount {
            for t in 0..<T { potentials[t] += sums[block * T + t] }
        }
        return potentials
    }

    /// Copies candidate `t`'s distances from the last ``run(candidates:closest:)`` into `target`.
    func copyDistances(ofCandidate t: Int, to target: inout [Float]) {
        target.withUnsafeMutableBufferPointer {
            $0.baseAddress!.update(from: distances + t * n, count: n)
        }
    }
}
