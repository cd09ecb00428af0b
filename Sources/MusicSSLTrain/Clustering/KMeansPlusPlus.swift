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
    let sampler = PotentialSampler(count: n)
    for _ in 1..<clusterCount {
        sampler.prepare(closest)
        let candidates = (0..<trialCount).map { _ -> Int in
            sampler.index(at: Double.random(in: 0..<1, using: &generator) * potential, in: closest)
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

/// numpy's `searchsorted(cumsum(closest), target)` without the full cumulative sum: sums of
/// blocks of 256 values locate the block, a scan inside it the index.
private final class PotentialSampler {
    static let blockSize = 256
    let count: Int
    /// Σ of each block of ``blockSize`` values.
    private var blockTotals: [Double]

    init(count: Int) {
        self.count = count
        blockTotals = [Double](repeating: 0, count: (count + Self.blockSize - 1) / Self.blockSize)
    }

    /// Sums the blocks of `values`.
    func prepare(_ values: [Float]) {
        values.withUnsafeBufferPointer { buffer in
            for block in 0..<blockTotals.count {
                let start = block * Self.blockSize
                var partial = SIMD8<Float>(repeating: 0), i = start
                let end = Swift.min(start + Self.blockSize, count)
                while i + 8 <= end {
                    partial += UnsafeRawPointer(buffer.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self)
                    i += 8
                }
                var total = Double(partial.sum())
                while i < end {
                    total += Double(buffer[i])
                    i += 1
                }
                blockTotals[block] = total
            }
        }
    }

    /// The first index whose cumulative sum reaches `target`, clipped to the last index.
    func index(at target: Double, in values: [Float]) -> Int {
        var running: Double = 0
        var block = 0
        while block < blockTotals.count - 1, running + blockTotals[block] < target {
            running += blockTotals[block]
            block += 1
        }
        var i = block * Self.blockSize
        let end = Swift.min(i + Self.blockSize, count)
        while i < end {
            running += Double(values[i])
            if running >= target { return i }
            i += 1
        }
        return count - 1
    }
}

/// For each candidate row t: `min(closest[i], ‖x_i − x_t‖²)` over all points i (just the
/// distance when `closest` is nil), and the sum of those over i, the potential if t were
/// chosen. Buffers are allocated once and reused for every centre.
///
/// Distances are laid out [point, candidate] so that one point's candidates sit in one SIMD
/// vector (8 lanes per group of candidates); the GEMM is `X_block · Candᵀ`.
private final class CandidateDistances {
    typealias Lanes = SIMD8<Float>
    let points: UnsafePointer<Float>
    let n: Int, D: Int
    let norms: [Float]
    /// Candidates per pass rounded up to whole SIMD groups.
    let width: Int
    /// [n, width]
    private let distances: UnsafeMutablePointer<Float>
    /// [width, D]
    private let chosen: UnsafeMutablePointer<Float>
    /// [blocks, width]
    private let blockSums: UnsafeMutablePointer<Double>
    private let blockCount: Int

    init(points: UnsafePointer<Float>, count: Int, dimensions: Int, norms: [Float], maximumCandidates: Int) {
        self.points = points
        n = count
        D = dimensions
        self.norms = norms
        width = (maximumCandidates + Lanes.scalarCount - 1) / Lanes.scalarCount * Lanes.scalarCount
        blockCount = (count + pointsPerBlock - 1) / pointsPerBlock
        distances = .allocate(capacity: width * count)
        chosen = .allocate(capacity: width * dimensions)
        blockSums = .allocate(capacity: blockCount * width)
    }

    deinit {
        distances.deallocate()
        chosen.deallocate()
        blockSums.deallocate()
    }

    /// Fills the distances of `candidates` (at most the maximum given at creation) and returns
    /// their potentials.
    func run(candidates: [Int], closest: UnsafePointer<Float>?) -> [Double] {
        let (n, D, W, points, out, sums, c) = (n, D, width, points, distances, blockSums, chosen)
        // Unused lanes repeat the first candidate; their results are ignored.
        var candidateNorms = [Float](repeating: 0, count: W)
        for t in 0..<W {
            let index = t < candidates.count ? candidates[t] : candidates[0]
            (c + t * D).update(from: points + index * D, count: D)
            candidateNorms[t] = norms[index]
        }
        norms.withUnsafeBufferPointer { normBuffer in
            candidateNorms.withUnsafeBufferPointer { candidateNormBuffer in
                let norms = normBuffer.baseAddress!
                let rawCandidateNorms = UnsafeRawPointer(candidateNormBuffer.baseAddress!)
                func run(block: Int) {
                    let start = block * pointsPerBlock
                    let rows = Swift.min(pointsPerBlock, n - start)
                    // out[start + i, t] = −2 x_i·x_t for the block's points.
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(W), Int32(D),
                        -2, points + start * D, Int32(D), c, Int32(D), 0, out + start * W, Int32(W))
                    for group in stride(from: 0, to: W, by: Lanes.scalarCount) {
                        let groupNorms = rawCandidateNorms.loadUnaligned(
                            fromByteOffset: group * MemoryLayout<Float>.stride, as: Lanes.self)
                        var total = SIMD8<Double>(repeating: 0)
                        var partial = Lanes(repeating: 0)
                        for i in 0..<rows {
                            let slot = UnsafeMutableRawPointer(out + (start + i) * W + group)
                            var value = slot.loadUnaligned(as: Lanes.self) + groupNorms
                                + Lanes(repeating: norms[start + i])
                            // Rounding can make the expansion slightly negative; sklearn clips at 0.
                            value.replace(with: 0, where: value .< 0)
                            if let closest {
                                let bound = Lanes(repeating: closest[start + i])
                                value.replace(with: bound, where: bound .< value)
                            }
                            slot.storeBytes(of: value, as: Lanes.self)
                            partial += value
                            // Float partial sums over 256 points, then Double: fast and accurate.
                            if i & 255 == 255 {
                                total += SIMD8<Double>(partial)
                                partial = Lanes(repeating: 0)
                            }
                        }
                        total += SIMD8<Double>(partial)
                        for lane in 0..<Lanes.scalarCount { sums[block * W + group + lane] = total[lane] }
                    }
                }
                let workers = Swift.min(
                    Parallelism.threadCount, blockCount,
                    Swift.max(1, n * W * D / Swift.max(Parallelism.minimumElementsPerThread, 1)))
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
        }
        var potentials = [Double](repeating: 0, count: candidates.count)
        for block in 0..<blockCount {
            for t in 0..<candidates.count { potentials[t] += sums[block * W + t] }
        }
        return potentials
    }

    /// Copies candidate `t`'s distances from the last ``run(candidates:closest:)`` into `target`.
    func copyDistances(ofCandidate t: Int, to target: inout [Float]) {
        let (W, out) = (width, distances)
        target.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<n { buffer[i] = out[i * W + t] }
        }
    }
}
