/// The sum NumPy's `np.sum` returns for a contiguous float64 row: its pairwise summation with
/// eight interleaved accumulators in blocks of at most 128 (`pairwise_sum_DOUBLE` in
/// `numpy/core/src/umath/loops_utils.h.src`), so sums match NumPy's to the last bit.
func pairwiseSum(_ values: ArraySlice<Double>) -> Double {
    let count = values.count
    let start = values.startIndex
    if count < 8 {
        var sum = 0.0
        for value in values { sum += value }
        return sum
    }
    if count <= 128 {
        var partial = Array(values[start..<start + 8])
        var index = 8
        while index < count - count % 8 {
            for lane in 0..<8 { partial[lane] += values[start + index + lane] }
            index += 8
        }
        var sum =
            ((partial[0] + partial[1]) + (partial[2] + partial[3]))
            + ((partial[4] + partial[5]) + (partial[6] + partial[7]))
        while index < count {
            sum += values[start + index]
            index += 1
        }
        return sum
    }
    // Halve, keeping the first half a multiple of the eight lanes.
    var half = count / 2
    half -= half % 8
    return pairwiseSum(values[start..<start + half]) + pairwiseSum(values[(start + half)...])
}
