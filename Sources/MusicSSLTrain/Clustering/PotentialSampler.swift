/// numpy's `searchsorted(cumsum(closest), target)` without the full cumulative sum: sums of
/// blocks of 256 values locate the block, a scan inside it the index.
final class PotentialSampler {
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
        values.withBase { buffer in
            for block in 0..<blockTotals.count {
                let start = block * Self.blockSize
                var partial = SIMD8<Float>(repeating: 0), i = start
                let end = Swift.min(start + Self.blockSize, count)
                while i + 8 <= end {
                    partial += UnsafeRawPointer(buffer + i).loadUnaligned(
                        as: SIMD8<Float>.self)
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
