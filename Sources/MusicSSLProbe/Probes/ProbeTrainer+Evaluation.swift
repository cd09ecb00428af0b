import MusicSSLCore

extension ProbeTrainer {
    /// One row of logits per item: the mean of its windows' logits (MARBLE's `scatter_mean`
    /// of pre-softmax/sigmoid logits, probe-spec Q4), in Float32 as torch averages them.
    ///
    /// - Returns: `[items, outputs]` item logits.
    func itemLogits(head: ProbeHead, split: ProbeSplitFeatures) throws -> ScoreMatrix {
        head.setTraining(false)
        let outputs = head.outputCount
        var values: [Double] = []
        values.reserveCapacity(split.items.count * outputs)
        var unused = SplitMix64(seed: 0)
        try noGrad {
            for first in stride(from: 0, to: split.items.count, by: configuration.batchSize) {
                let items = first..<min(first + configuration.batchSize, split.items.count)
                let rows = items.flatMap { Array(split.itemRows[$0]) }
                let inputs = split.gather(rows: rows, hiddenStates: head.hiddenStates)
                let logits = try head(inputs, using: &unused)
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

    /// Each item's beat probability per frame: the softmax of the head's two frame logits
    /// (non-beat, beat), column 1 (probe-spec §2.2).
    func beatActivations(head: ProbeHead, split: ProbeSplitFeatures) throws -> [[Float]] {
        head.setTraining(false)
        var unused = SplitMix64(seed: 0)
        return try noGrad {
            try split.itemRows.map { rows in
                let inputs = split.gather(rows: Array(rows), hiddenStates: head.hiddenStates)
                let probabilities = try head(inputs, using: &unused).softmax(alongAxis: 1)
                return probabilities.withUnsafeBufferPointer { pointer in
                    // Clamped: rounding can put a softmax output a hair outside [0, 1].
                    (0..<rows.count).map { Swift.min(Swift.max(pointer[$0 * 2 + 1], 0), 1) }
                }
            }
        }
    }
}
