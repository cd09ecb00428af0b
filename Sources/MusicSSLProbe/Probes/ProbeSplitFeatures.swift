import MusicSSLCore

/// One split's cached features in memory, as MARBLE's datasets serve them (probe-spec §1.3):
/// every window (or frame) of every item is a row; ``itemRows`` groups the rows of each item.
///
/// Rows are stored `[rows, hiddenStates, dims]`, so the hidden states of any
/// ``LayerSelection`` (always a contiguous range) are one contiguous block of each row, and a
/// batch is gathered with one copy per row.
public struct ProbeSplitFeatures {
    /// The split.
    public let split: DataSplit
    /// Its items, in task order.
    public let items: [TaskItem]
    /// The rows of each item, consecutive, in the order of ``items``.
    public let itemRows: [Range<Int>]
    /// `[rowCount, hiddenStateCount, dimensions]` features.
    public let rows: Tensor

    /// Windows (or frames) over all items.
    public var rowCount: Int { rows.shape[0] }
    /// Hidden states per row (L + 1).
    public var hiddenStateCount: Int { rows.shape[1] }
    /// Width of one hidden state.
    public var dimensions: Int { rows.shape[2] }

    /// Assembles a split from per-item features.
    ///
    /// - Parameters:
    ///   - split: The split.
    ///   - items: Its items.
    ///   - features: Each item's `[hiddenStates, windows, dims]` features, all with the same
    ///     hidden states and dims (checked by the caller).
    init(split: DataSplit, items: [TaskItem], features: [Tensor]) {
        let hiddenStateCount = features.first?.shape[0] ?? 0
        let dimensions = features.first?.shape[2] ?? 0
        var ranges: [Range<Int>] = []
        var start = 0
        for tensor in features {
            ranges.append(start..<(start + tensor.shape[1]))
            start += tensor.shape[1]
        }
        var rows = Tensor.zeros([start, hiddenStateCount, dimensions])
        rows.withUnsafeMutableBufferPointer { destination in
            guard let target = destination.baseAddress else { return }
            for (tensor, range) in zip(features, ranges) {
                let windows = range.count
                tensor.withUnsafeBufferPointer { source in
                    guard let source = source.baseAddress else { return }
                    // [H, W, D] → rows [W, H, D].
                    for layer in 0..<hiddenStateCount {
                        for window in 0..<windows {
                            let from = source + (layer * windows + window) * dimensions
                            let to =
                                target + ((range.lowerBound + window) * hiddenStateCount + layer)
                                * dimensions
                            to.update(from: from, count: dimensions)
                        }
                    }
                }
            }
        }
        self.split = split
        self.items = items
        self.itemRows = ranges
        self.rows = rows
    }

    /// The rows `indices` restricted to `hiddenStates`, in the order given.
    ///
    /// - Returns: `[indices.count, hiddenStates.count, dimensions]`.
    public func gather(rows indices: [Int], hiddenStates: Range<Int>) -> Tensor {
        let layerCount = hiddenStates.count
        let width = layerCount * dimensions
        let rowWidth = hiddenStateCount * dimensions
        let offset = hiddenStates.lowerBound * dimensions
        var batch = Tensor.zeros([indices.count, layerCount, dimensions])
        batch.withUnsafeMutableBufferPointer { destination in
            rows.withUnsafeBufferPointer { source in
                guard let target = destination.baseAddress, let source = source.baseAddress
                else { return }
                for (position, row) in indices.enumerated() {
                    (target + position * width).update(
                        from: source + row * rowWidth + offset, count: width)
                }
            }
        }
        return batch
    }
}
