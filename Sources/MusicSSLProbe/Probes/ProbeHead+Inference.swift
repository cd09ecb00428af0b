import MusicSSLCore

extension ProbeHead {
    /// One row of logits per item of `split`: the mean of its windows' logits, in evaluation
    /// mode. MARBLE averages logits, not probabilities (`scatter_mean` of pre-softmax/sigmoid
    /// logits in `ProberForBertUtterCLS.validation_step`, probe-spec Q4), in Float32.
    ///
    /// - Parameters:
    ///   - split: The features; its rows are read at this head's hidden states.
    ///   - batchSize: Items per forward pass.
    /// - Returns: `[items, outputCount]` item logits.
    public func itemLogits(
        for split: ProbeSplitFeatures, batchSize: Int = 64
    ) throws
        -> ScoreMatrix
    {
        setTraining(false)
        let outputs = outputCount
        var values: [Double] = []
        values.reserveCapacity(split.items.count * outputs)
        var unused = SplitMix64(seed: 0)
        try noGrad {
            for first in stride(from: 0, to: split.items.count, by: Swift.max(batchSize, 1)) {
                let items = first..<Swift.min(first + Swift.max(batchSize, 1), split.items.count)
                let rows = items.flatMap { Array(split.itemRows[$0]) }
                let inputs = split.gather(rows: rows, hiddenStates: hiddenStates)
                let logits = try self(inputs, using: &unused)
                logits.withUnsafeBufferPointer { pointer in
                    var row = 0
                    for item in items {
                        let count = split.itemRows[item].count
                        var sums = [Float](repeating: 0, count: outputs)
                        for _ in 0..<count {
                            for column in 0..<outputs {
                                sums[column] += pointer[row * outputs + column]
                            }
                            row += 1
                        }
                        values += sums.map { Double($0 / Float(count)) }
                    }
                }
            }
        }
        return try ScoreMatrix(rowCount: split.items.count, columnCount: outputs, values: values)
    }

    /// Each item's beat probability per frame, in evaluation mode: the softmax of the head's
    /// two frame logits (non-beat, beat), column 1 (probe-spec §2.2).
    ///
    /// - Parameter split: Frame features of a beat-tracking task.
    /// - Returns: One sequence per item, one probability in [0, 1] per frame.
    public func beatActivations(for split: ProbeSplitFeatures) throws -> [[Float]] {
        guard outputCount == 2 else {
            throw ProbeError.shape(
                component: "ProbeHead.beatActivations", expected: "2 outputs (non-beat, beat)",
                found: [outputCount])
        }
        setTraining(false)
        var unused = SplitMix64(seed: 0)
        return try noGrad {
            try split.itemRows.map { rows in
                let inputs = split.gather(rows: Array(rows), hiddenStates: hiddenStates)
                let probabilities = try self(inputs, using: &unused).softmax(alongAxis: 1)
                return probabilities.withUnsafeBufferPointer { pointer in
                    // Clamped: rounding can put a softmax output a hair outside [0, 1].
                    (0..<rows.count).map { Swift.min(Swift.max(pointer[$0 * 2 + 1], 0), 1) }
                }
            }
        }
    }
}
