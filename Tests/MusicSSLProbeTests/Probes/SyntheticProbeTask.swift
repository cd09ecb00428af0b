import Foundation
import MusicSSLProbe
import MusicSSLTestSupport

/// Small synthetic tasks whose features carry the label in one hidden state (or all of them),
/// so probes can be checked to learn, weight the right layer and stop early.
struct SyntheticProbeTask {
    let task: ProbeTask
    /// Each item's `[hiddenStates, windows, dims]` features, by item id.
    let features: [String: Tensor]
    let framesPerSecond: Double?

    /// The feature set of ``task``.
    func featureSet() throws -> ProbeFeatureSet {
        try ProbeFeatureSet(task: task, framesPerSecond: framesPerSecond) { item in
            guard let tensor = features[item.id] else { throw SyntheticError.missing(item.id) }
            return tensor
        }
    }

    enum SyntheticError: Error { case missing(String) }

    static let splitCounts: [(DataSplit, Int)] = [(.train, 60), (.valid, 20), (.test, 20)]

    /// Items of every split with `label(index)`; ids `<split>/<index>.wav`.
    static func items(
        counts: [(DataSplit, Int)] = splitCounts, label: (Int) -> TaskLabel,
        group: (DataSplit, Int) -> String? = { _, _ in nil }
    ) -> [TaskItem] {
        var items: [TaskItem] = []
        var index = 0
        for (split, count) in counts {
            for position in 0..<count {
                let id = "\(split.rawValue)/\(position).wav"
                items.append(
                    TaskItem(
                        id: id, url: URL(fileURLWithPath: "/synthetic/\(id)"), split: split,
                        label: label(index), group: group(split, position)))
                index += 1
            }
        }
        return items
    }

    /// Features whose hidden state `informativeLayer` is `signal(item) + noise` and every other
    /// hidden state pure noise (all of them carry the signal when `informativeLayer` is nil).
    static func features(
        items: [TaskItem], hiddenStates: Int, dimensions: Int, windows: Int,
        informativeLayer: Int?, noise: Float, seed: UInt64, signal: (Int) -> [Float]
    ) throws -> [String: Tensor] {
        var generator = SplitMix64(seed: seed)
        var features: [String: Tensor] = [:]
        for (index, item) in items.enumerated() {
            let vector = signal(index)
            var values = Tensor.randomNormal(
                [hiddenStates, windows, dimensions], standardDeviation: noise, using: &generator
            ).scalars
            for layer in 0..<hiddenStates where informativeLayer == nil || layer == informativeLayer
            {
                for window in 0..<windows {
                    for dimension in 0..<dimensions {
                        values[(layer * windows + window) * dimensions + dimension] +=
                            vector[dimension]
                    }
                }
            }
            features[item.id] = try Tensor(
                shape: [hiddenStates, windows, dimensions], scalars: values)
        }
        return features
    }

    /// `count` random unit-scale prototype vectors of `dimensions`.
    static func prototypes(count: Int, dimensions: Int, seed: UInt64) -> [[Float]] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            Tensor.randomNormal([dimensions], using: &generator).scalars
        }
    }

    /// A 5-class task whose class prototype is in `informativeLayer` (4 hidden states, 8 dims,
    /// 2 windows per item).
    static func classification(
        informativeLayer: Int? = 2, noise: Float = 0.5,
        schedule: ProbeSchedule = .init(
            learningRatePatience: 2, earlyStoppingPatience: 4, maximumEpochs: 30)
    ) throws -> SyntheticProbeTask {
        let classCount = 5
        let items = items(label: { .classIndex($0 % classCount) })
        let prototypes = prototypes(count: classCount, dimensions: 8, seed: 11)
        let features = try features(
            items: items, hiddenStates: 4, dimensions: 8, windows: 2,
            informativeLayer: informativeLayer, noise: noise, seed: 12
        ) { prototypes[$0 % classCount] }
        let task = ProbeTask(
            name: "synthetic-genre",
            kind: .singleLabel(classes: (0..<classCount).map { "class\($0)" }),
            metric: .accuracy, items: items, schedule: schedule)
        return SyntheticProbeTask(task: task, features: features, framesPerSecond: nil)
    }
}
