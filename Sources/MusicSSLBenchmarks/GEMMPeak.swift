import CBLAS
import MusicSSLCore

/// The machine's practical single-precision GEMM peak, measured with `cblas_sgemm` on the
/// products a 768-wide Transformer layer with a 3072-wide feed-forward block performs.
struct GEMMPeak {
    /// One row-major product C[M×N] = A[M×K] · B[K×N].
    struct Product {
        let M: Int
        let N: Int
        let K: Int

        var label: String { "[\(M)×\(K)]·[\(K)×\(N)]" }
        var flops: Double { 2 * Double(M) * Double(N) * Double(K) }
    }

    /// Best and median GFLOP/s of one product at one thread count.
    struct Result {
        let product: Product
        let threadCount: Int
        let bestGFLOPs: Double
        let medianGFLOPs: Double
    }

    /// Projections (2000 tokens = batch 8 × 250 frames), both FFN products, and 768³.
    static let products = [
        Product(M: 2000, N: 768, K: 768),
        Product(M: 2000, N: 3072, K: 768),
        Product(M: 2000, N: 768, K: 3072),
        Product(M: 768, N: 768, K: 768),
    ]

    let threadCounts: [Int]
    let repeats: Int

    /// Times every product `repeats` times at each thread count, alternating thread counts so
    /// that drift in the machine's load affects both alike.
    func measure() -> [Result] {
        let largest = Self.products.map { max($0.M * $0.K, $0.K * $0.N, $0.M * $0.N) }.max() ?? 0
        let a = alignedBuffer(count: largest), b = alignedBuffer(count: largest)
        let c = alignedBuffer(count: largest)
        defer { for buffer in [a, b, c] { UnsafeMutableRawPointer(buffer).deallocate() } }
        var generator = SplitMix64(seed: 1)
        for i in 0..<largest {
            a[i] = Float(generator.next() >> 40) * 0x1p-24 - 0.5
            b[i] = Float(generator.next() >> 40) * 0x1p-24 - 0.5
        }
        let savedThreads = BLAS.threadCount
        defer { BLAS.threadCount = savedThreads }

        var results: [Result] = []
        for product in Self.products {
            var seconds = [Int: [Double]]()
            for threads in threadCounts {
                BLAS.threadCount = threads
                multiply(product, a, b, c)  // warm-up: thread start and packing buffers
            }
            for _ in 0..<repeats {
                for threads in threadCounts {
                    BLAS.threadCount = threads
                    seconds[threads, default: []].append(
                        secondsTaken { multiply(product, a, b, c) })
                }
            }
            for threads in threadCounts {
                let summary = Summary(seconds[threads] ?? [])
                results.append(
                    Result(
                        product: product, threadCount: threads,
                        bestGFLOPs: product.flops / summary.best * 1e-9,
                        medianGFLOPs: product.flops / summary.median * 1e-9))
            }
        }
        return results
    }

    private func multiply(
        _ product: Product, _ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>,
        _ c: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(product.M), Int32(product.N),
            Int32(product.K), 1, a, Int32(product.K), b, Int32(product.N), 0, c, Int32(product.N))
    }

    private func alignedBuffer(count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(
            byteCount: count * MemoryLayout<Float>.stride, alignment: 64
        )
        .bindMemory(to: Float.self, capacity: count)
    }
}
