import CBLAS
import Foundation
import MusicSSLCore

/// The nearest of K centroids for each row of a feature matrix, by squared Euclidean distance
/// `‖x‖² − 2 x·c + ‖c‖²` with the cross term from GEMM, as fairseq's `dump_km_label.py` and
/// scikit-learn's `_labels_inertia` compute it.
///
/// Rows are taken in fixed blocks of ``rowsPerBlock``: one single-threaded GEMM per block into a
/// scratch buffer that stays in cache, then an argmin over it, with blocks spread over
/// ``Parallelism/threadCount`` threads. Block boundaries do not depend on the thread count, so
/// the labels do not either. Reusable across calls (scratch buffers are kept), not across
/// threads.
final class NearestCentroids {
    /// Rows per GEMM block; 256 × 500 centroids of scratch is 512 KiB, about a core's L2.
    static let rowsPerBlock = 256

    /// Number of centroids, K.
    let clusterCount: Int
    /// Values per row, D.
    let dimensions: Int
    /// The centroids, row-major [K, D].
    private(set) var centroids: [Float]
    /// ‖c‖² per centroid, [K].
    private var squaredNorms: [Float]
    /// One [rowsPerBlock, K] buffer per worker thread.
    private var scratch: [UnsafeMutablePointer<Float>] = []

    /// Prepares a search over `centroids` ([clusterCount, dimensions], row-major).
    init(centroids: [Float], clusterCount: Int, dimensions: Int) {
        precondition(centroids.count == clusterCount * dimensions && clusterCount > 0)
        self.clusterCount = clusterCount
        self.dimensions = dimensions
        self.centroids = centroids
        squaredNorms = []
        replaceCentroids(centroids)
    }

    deinit {
        for buffer in scratch { buffer.deallocate() }
    }

    /// Replaces the centroids (same K and D) and recomputes their norms.
    func replaceCentroids(_ newCentroids: [Float]) {
        precondition(newCentroids.count == clusterCount * dimensions)
        centroids = newCentroids
        squaredNorms = (0..<clusterCount).map { k in
            newCentroids.withBase {
                squaredNorm($0 + k * dimensions, dimensions)
            }
        }
    }

    /// Labels `count` rows starting at `points` ([count, D], row-major).
    ///
    /// - Parameters:
    ///   - labels: receives the index of the nearest centroid per row (the first on a tie, as
    ///     numpy's argmin).
    ///   - squaredDistances: when given, receives ‖x − c_label‖² per row, summed directly over
    ///     the D differences rather than from the GEMM expansion, as scikit-learn's inertia.
    func assign(
        _ points: UnsafePointer<Float>, count: Int, labels: UnsafeMutablePointer<Int32>,
        squaredDistances: UnsafeMutablePointer<Float>? = nil
    ) {
        guard count > 0 else { return }
        let (K, D) = (clusterCount, dimensions)
        let blockCount = (count + Self.rowsPerBlock - 1) / Self.rowsPerBlock
        let work = count * K * Swift.max(D, 1)
        let workers = Swift.max(
            1,
            Swift.min(
                Parallelism.threadCount, blockCount,
                work / Swift.max(Parallelism.minimumElementsPerThread, 1)))
        while scratch.count < workers {
            scratch.append(.allocate(capacity: Self.rowsPerBlock * K))
        }
        centroids.withBase { centroidBuffer in
            squaredNorms.withBase { normBuffer in
                let c = centroidBuffer, norms = normBuffer
                let buffers = scratch
                func run(worker: Int) {
                    let firstBlock = blockCount * worker / workers
                    let endBlock = blockCount * (worker + 1) / workers
                    let distances = buffers[worker]
                    for block in firstBlock..<endBlock {
                        let start = block * Self.rowsPerBlock
                        let rows = Swift.min(Self.rowsPerBlock, count - start)
                        let x = points + start * D
                        // distances[r, k] = −2 x_r·c_k; ‖c_k‖² is added inside the argmin.
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(K),
                            Int32(D), -2, x, Int32(D), c, Int32(D), 0, distances, Int32(K))
                        for r in 0..<rows {
                            let label = argminOfSum(distances + r * K, norms, K)
                            labels[start + r] = Int32(label)
                            if let squaredDistances {
                                squaredDistances[start + r] = squaredDistance(
                                    x + r * D, c + label * D, D)
                            }
                        }
                    }
                }
                BLAS.withSingleThreadedGEMM {
                    if workers == 1 {
                        run(worker: 0)
                    } else {
                        DispatchQueue.concurrentPerform(iterations: workers) { run(worker: $0) }
                    }
                }
            }
        }
    }
}

/// ‖x‖² of a vector of `count` floats.
@inline(__always)
func squaredNorm(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
    var sum: Float = 0
    for i in 0..<count { sum += x[i] * x[i] }
    return sum
}

/// ‖x − y‖² of two vectors of `count` floats, summed over the differences.
@inline(__always)
func squaredDistance(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int) -> Float {
    var sum: Float = 0
    for i in 0..<count {
        let difference = x[i] - y[i]
        sum += difference * difference
    }
    return sum
}

/// The index of the smallest `a[k] + b[k]` over `0..<count` (the first on a tie), eight lanes at
/// a time.
@inline(__always)
func argminOfSum(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Int {
    var best = Float.infinity
    var bestIndex = 0
    var k = 0
    if count >= 16 {
        // Each lane keeps its own first minimum; lanes are merged below, ties to the lower index.
        var laneMinimum = SIMD8<Float>(repeating: .infinity)
        var laneIndex = SIMD8<Int32>(repeating: 0)
        var index = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        let stride = SIMD8<Int32>(repeating: 8)
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        while k + 8 <= count {
            let offset = k * MemoryLayout<Float>.stride
            let value =
                rawA.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                + rawB.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let isLess = value .< laneMinimum
            laneMinimum.replace(with: value, where: isLess)
            laneIndex.replace(with: index, where: isLess)
            index &+= stride
            k += 8
        }
        for lane in 0..<8 {
            let value = laneMinimum[lane], candidate = Int(laneIndex[lane])
            if value < best || (value == best && candidate < bestIndex) {
                best = value
                bestIndex = candidate
            }
        }
        if best == .infinity { bestIndex = 0 }
    }
    while k < count {
        let value = a[k] + b[k]
        if value < best {
            best = value
            bestIndex = k
        }
        k += 1
    }
    return bestIndex
}
