import MusicSSLCore

/// The training split's per-row targets, prepared once per run, and one epoch of batches:
/// MARBLE's `train_collate_fn` (every window of the batch's items a sample with its item's
/// label) or, for beat tracking, per-frame labels on a random crop of each item.
struct TrainingBatches {
    let split: ProbeSplitFeatures
    let hiddenStates: Range<Int>
    let configuration: ProbeTrainingConfiguration
    let kind: TaskKind
    let framesPerSecond: Double?
    /// Per item: its class, multi-hot row or values (pooled tasks), or its frames' classes
    /// after widening (beat tracking).
    let itemTargets: [[Float]]

    init(trainer: ProbeTrainer, head: ProbeHead) throws {
        split = trainer.features.train
        hiddenStates = head.hiddenStates
        configuration = trainer.configuration
        kind = trainer.features.task.kind
        framesPerSecond = trainer.features.framesPerSecond
        let outputCount = kind.outputCount
        let widening = configuration.beatLabelWidening
        let fps = framesPerSecond ?? 0
        itemTargets = zip(split.items, split.itemRows).map { item, rows in
            switch item.label {
            case .classIndex(let index): return [Float(index)]
            case .tags(let tags):
                var row = [Float](repeating: 0, count: outputCount)
                for tag in tags { row[tag] = 1 }
                return row
            case .values(let values): return values.map(Float.init)
            case .beats(let beats):
                let frames = BeatLabelGrid.beatFrames(
                    beats, framesPerSecond: fps, frameCount: rows.count)
                return BeatLabelGrid.targets(
                    frameCount: rows.count, beatFrames: frames, widening: widening
                ).map(Float.init)
            }
        }
    }

    /// One epoch: shuffled items, one optimisation step per batch.
    func trainEpoch(
        _ optimization: ProbeOptimization, generators: inout ProbeTrainer.Generators
    ) throws {
        let order = Array(split.items.indices).shuffled(using: &generators.shuffling)
        for first in stride(from: 0, to: order.count, by: configuration.batchSize) {
            let items = order[first..<min(first + configuration.batchSize, order.count)]
            var rows: [Int] = []
            var itemSlices: [(item: Int, frames: Range<Int>)] = []
            for item in items {
                let range = split.itemRows[item]
                let frames = cropFrames(count: range.count, using: &generators.cropping)
                rows += frames.map { range.lowerBound + $0 }
                itemSlices.append((item, frames))
            }
            let inputs = split.gather(rows: rows, hiddenStates: hiddenStates)
            let targets = try targets(for: itemSlices, rowCount: rows.count)
            _ = try optimization.step(
                inputs: inputs, targets: targets, using: &generators.dropout)
        }
    }

    /// The rows of an item used this epoch: all windows, or a random crop of frames.
    private func cropFrames(count: Int, using generator: inout SplitMix64) -> Range<Int> {
        guard kind == .beatTracking,
            case .randomCrops(let seconds) = configuration.beatTrainingInput,
            let framesPerSecond
        else { return 0..<count }
        let length = Int((seconds * framesPerSecond).rounded())
        guard count > length, length > 0 else { return 0..<count }
        let start = Int.random(in: 0...(count - length), using: &generator)
        return start..<(start + length)
    }

    /// The targets of a batch's rows, item by item.
    private func targets(
        for slices: [(item: Int, frames: Range<Int>)], rowCount: Int
    ) throws -> ProbeTargets {
        switch kind {
        case .singleLabel:
            return .classes(
                slices.flatMap { slice in
                    [Int](repeating: Int(itemTargets[slice.item][0]), count: slice.frames.count)
                })
        case .beatTracking:
            return .classes(
                slices.flatMap { slice in itemTargets[slice.item][slice.frames].map { Int($0) } })
        case .multiLabel, .regression:
            let width = kind.outputCount
            var values: [Float] = []
            values.reserveCapacity(rowCount * width)
            for slice in slices {
                for _ in slice.frames { values += itemTargets[slice.item] }
            }
            let tensor = try Tensor(shape: [rowCount, width], scalars: values)
            return isRegression ? .values(tensor) : .multiHot(tensor)
        }
    }

    private var isRegression: Bool {
        if case .regression = kind { return true }
        return false
    }
}
