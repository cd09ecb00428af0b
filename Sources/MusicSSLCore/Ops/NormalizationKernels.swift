// Row statistics shared by the normalisation ops. Sums run in 16 Float lanes over blocks of
// 1024 elements and carry across blocks in Double, so long rows (a 16,000-frame channel of the
// wav2vec2 CNN) keep Float32 accuracy while the inner loop stays vectorised.

/// Elements summed in Float lanes before the block total moves into a Double.
private let blockLength = 1024

@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func store16(_ value: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD16<Float>.self)
}

/// Mean and Σ(x − mean)² of `n` contiguous floats, in two passes: a first estimate of the mean,
/// then sums of the deviations `d = x − estimate` and `d²`, which refine both without the
/// cancellation of Σx² − n·mean².
@inline(__always)
func rowMoments(_ x: UnsafePointer<Float>, _ n: Int) -> (mean: Double, squares: Double) {
    guard n > 0 else { return (0, 0) }
    var total: Double = 0
    var start = 0
    while start < n {
        let length = Swift.min(blockLength, n &- start)
        total += Double(sumContiguous(x + start, length))
        start &+= length
    }
    let estimate = Float(total / Double(n))
    var deviations: Double = 0, squares: Double = 0
    start = 0
    while start < n {
        let length = Swift.min(blockLength, n &- start)
        let block = x + start
        var lanes = SIMD16<Float>(repeating: 0), lanesSquared = SIMD16<Float>(repeating: 0)
        var i = 0
        while i &+ 16 <= length {
            let d = load16(block + i) - estimate
            lanes += d
            lanesSquared.addProduct(d, d)
            i &+= 16
        }
        var sum = lanes.sum(), sumSquared = lanesSquared.sum()
        while i < length {
            let d = block[i] - estimate
            sum += d
            sumSquared += d * d
            i &+= 1
        }
        deviations += Double(sum)
        squares += Double(sumSquared)
        start &+= length
    }
    let correction = deviations / Double(n)
    return (Double(estimate) + correction, Swift.max(0, squares - deviations * correction))
}

/// Σ dy and Σ dy·(x − center) of `n` contiguous pairs: what a norm's backward needs per channel.
/// Centring before the product avoids cancellation when the mean is large against the spread.
@inline(__always)
func rowGradientSums(
    _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, center: Float
) -> (upstream: Double, product: Double) {
    var upstream: Double = 0, product: Double = 0
    var start = 0
    while start < n {
        let length = Swift.min(blockLength, n &- start)
        let (g, v) = (dy + start, x + start)
        var lanesDY = SIMD16<Float>(repeating: 0), lanesProduct = SIMD16<Float>(repeating: 0)
        var i = 0
        while i &+ 16 <= length {
            let d = load16(g + i)
            lanesDY += d
            lanesProduct.addProduct(d, load16(v + i) - center)
            i &+= 16
        }
        var sumDY = lanesDY.sum(), sumProduct = lanesProduct.sum()
        while i < length {
            sumDY += g[i]
            sumProduct += g[i] * (v[i] - center)
            i &+= 1
        }
        upstream += Double(sumDY)
        product += Double(sumProduct)
        start &+= length
    }
    return (upstream, product)
}

/// Runs `body(chunk, rows)` over `0..<rows` split into `chunks` contiguous ranges (from
/// ``chunkCount(rows:cost:)``, read once by the caller so that its partial accumulators and this
/// split agree even if the thread count changes meanwhile), in parallel.
@inline(__always)
func parallelIndexedChunks(
    _ rows: Int, chunks: Int, cost: Int, _ body: (_ chunk: Int, _ rows: Range<Int>) -> Void
) {
    parallelChunks(chunks, cost: rows &* Swift.max(cost, 1) / Swift.max(chunks, 1)) { range in
        for chunk in range {
            body(chunk, (rows &* chunk / chunks)..<(rows &* (chunk &+ 1) / chunks))
        }
    }
}

/// How many chunks to split `rows` rows of `cost` elements into for partial accumulators: one
/// per thread when the work pays for threads, at most one per row.
func chunkCount(rows: Int, cost: Int) -> Int {
    let work = rows &* Swift.max(cost, 1)
    let threads = work / Swift.max(Parallelism.minimumElementsPerThread, 1)
    return Swift.max(1, Swift.min(Parallelism.threadCount, threads, rows))
}
