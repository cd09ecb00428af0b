import MusicSSLCore

/// A task's cached features, held in memory per split, ready for probes (probe-spec §1.3).
///
/// Built from the task and a closure that returns each item's features: pooled windows
/// `[hiddenStates, windows, dims]` (MARBLE's `.npy` cache, `[13, n_chunks, 768]`), or for
/// ``TaskKind/beatTracking`` tasks frames `[hiddenStates, frames, dims]` at
/// ``framesPerSecond``. Every split must have items; labels are checked against the task's kind.
///
/// ```swift
/// let features = try ProbeFeatureSet(task: task) { item in try cache.features(for: item.id) }
/// let trainer = try ProbeTrainer(features: features, configuration: configuration)
/// ```
public struct ProbeFeatureSet {
    /// The task.
    public let task: ProbeTask
    /// Hidden states per window (L + 1).
    public let hiddenStateCount: Int
    /// Width of one hidden state.
    public let dimensions: Int
    /// Frame rate of beat-tracking features; nil for pooled windows.
    public let framesPerSecond: Double?
    /// Training features.
    public let train: ProbeSplitFeatures
    /// Validation features.
    public let valid: ProbeSplitFeatures
    /// Test features.
    public let test: ProbeSplitFeatures

    /// Loads every item's features.
    ///
    /// - Parameters:
    ///   - task: The task; its items are read in order, split by split.
    ///   - framesPerSecond: The frame rate of frame features; required for beat tracking.
    ///   - features: Returns an item's `[hiddenStates, windows, dims]` features.
    /// - Throws: ``ProbeError/featuresUnavailable(item:reason:)`` naming the item whose
    ///   features could not be had, ``ProbeError/featureShape(item:expected:found:)`` for a
    ///   shape that differs from the first item's, ``ProbeError/invalidLabel(item:reason:)`` or
    ///   ``ProbeError/emptySplit(task:split:)``.
    public init(
        task: ProbeTask, framesPerSecond: Double? = nil,
        features: (TaskItem) throws -> Tensor
    ) throws {
        if task.kind == .beatTracking {
            guard let framesPerSecond, framesPerSecond > 0 else {
                throw ProbeError.invalidConfiguration(
                    "beat-tracking task \(task.name) needs the features' frame rate")
            }
        }
        var layout: (hiddenStates: Int, dimensions: Int)?
        var splits: [ProbeSplitFeatures] = []
        for split in DataSplit.allCases {
            let items = task.items(in: split)
            guard !items.isEmpty else { throw ProbeError.emptySplit(task: task.name, split: split) }
            var tensors: [Tensor] = []
            tensors.reserveCapacity(items.count)
            for item in items {
                try Self.check(label: item.label, of: item, kind: task.kind)
                let tensor: Tensor
                do {
                    tensor = try features(item)
                } catch {
                    throw ProbeError.featuresUnavailable(item: item.id, reason: "\(error)")
                }
                let expected =
                    layout.map { "[\($0.hiddenStates), windows ≥ 1, \($0.dimensions)]" }
                    ?? "[hiddenStates, windows ≥ 1, dims]"
                guard tensor.rank == 3, tensor.shape.allSatisfy({ $0 > 0 }),
                    layout.map({ $0 == (tensor.shape[0], tensor.shape[2]) }) ?? true
                else {
                    throw ProbeError.featureShape(
                        item: item.id, expected: expected, found: tensor.shape)
                }
                layout = layout ?? (tensor.shape[0], tensor.shape[2])
                tensors.append(tensor)
            }
            splits.append(ProbeSplitFeatures(split: split, items: items, features: tensors))
        }
        self.task = task
        self.hiddenStateCount = layout?.hiddenStates ?? 0
        self.dimensions = layout?.dimensions ?? 0
        self.framesPerSecond = framesPerSecond
        train = splits[0]
        valid = splits[1]
        test = splits[2]
    }

    /// The features of `split`.
    public subscript(split: DataSplit) -> ProbeSplitFeatures {
        switch split {
        case .train: train
        case .valid: valid
        case .test: test
        }
    }

    /// Throws unless `label` fits `kind`.
    static func check(label: TaskLabel, of item: TaskItem, kind: TaskKind) throws {
        let problem: String?
        switch (kind, label) {
        case (.singleLabel(let classes), .classIndex(let index)):
            problem =
                classes.indices.contains(index)
                ? nil : "class \(index) is outside 0..<\(classes.count)"
        case (.multiLabel(let tags), .tags(let indices)):
            problem = indices.first { !tags.indices.contains($0) }.map {
                "tag \($0) is outside 0..<\(tags.count)"
            }
        case (.regression(let outputs), .values(let values)):
            problem =
                values.count == outputs.count && values.allSatisfy(\.isFinite)
                ? nil : "expected \(outputs.count) finite values, got \(values)"
        case (.beatTracking, .beats(let beats)):
            problem = beats.allSatisfy(\.isFinite) ? nil : "beat times must be finite"
        default:
            problem = "label \(label) does not fit a \(kind) task"
        }
        if let problem { throw ProbeError.invalidLabel(item: item.id, reason: problem) }
    }
}
