import CBLAS
import Foundation
import MusicSSLCore

/// For each candidate row t: `min(closest[i], ‖x_i − x_t‖²)` over all points i (just the
/// distance when `closest` is nil), and the sum of those over i, the potential if t were
/// chosen. Buffers are allocated once and reused for every centre.
///
/// Distances are laid out [point, candidate] so that one point's candidates sit in one SIMD
/// vector (8 lanes per group of candidates); the GEMM is `X_block · Candᵀ`.
final class CandidateDistances {
    /// Points per block; fixed, so potentials are summed in the same order whatever the thread
    /// count.
    static let pointsPerBlock = 4096

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

    init(
        points: UnsafePointer<Float>, count: Int, dimensions: Int, norms: [Float],
        maximumCandidates: Int
    ) {
        self.points = points
        n = count
        D = dimensions
        self.norms = norms
        width = (maximumCandidates + Lanes.scalarCount - 1) / Lanes.scalarCount * Lanes.scalarCount
        blockCount = (count + Self.pointsPerBlock - 1) / Self.pointsPerBlock
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
        norms.withBase { normBuffer in
            candidateNorms.withBase { candidateNormBuffer in
                let norms = normBuffer
                let rawCandidateNorms = UnsafeRawPointer(candidateNormBuffer)
                func run(block: Int) {
                    let start = block * Self.pointsPerBlock
                    let rows = Swift.min(Self.pointsPerBlock, n - start)
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
                            var value =
                                slot.loadUnaligned(as: Lanes.self) + groupNorms
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
                        for lane in 0..<Lanes.scalarCount {
                            sums[block * W + group + lane] = total[lane]
                        }
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
        target.withMutableBase { buffer in
            for i in 0..<n { buffer[i] = out[i * W + t] }
        }
    }
}
