import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

@Suite("Probe sweep")
struct ProbeSweepTests {
    static func sweep(
        _ features: ProbeFeatureSet, identity: String, directory: URL?,
        training: ProbeTrainingConfiguration
    ) -> ProbeSweep {
        ProbeSweep(
            features: features,
            configuration: ProbeSweepConfiguration(
                training: training, learningRates: [1e-2, 1e-3], layers: [.all, .single(2)]),
            featuresIdentity: identity, runDirectory: directory)
    }

    @Test("a rerun loads finished runs; a changed fingerprint retrains them")
    func resumes() throws {
        let synthetic = try SyntheticProbeTask.classification()
        let features = try synthetic.featureSet()
        var training = smallConfiguration(synthetic.task)
        training.schedule = .init(
            learningRatePatience: 1, earlyStoppingPatience: 2, maximumEpochs: 4)
        let directory = try TemporaryDirectory()

        var trained: [Int] = []
        let first = try Self.sweep(
            features, identity: "cache-v1", directory: directory.url, training: training
        ).run { progress in
            #expect(progress.runCount == 4)
            if !progress.wasLoaded { trained.append(progress.runIndex) }
        }
        #expect(trained == [1, 2, 3, 4])
        #expect(try directory.contents().filter { $0.hasSuffix(".json") }.count == 4)
        #expect(!(try directory.contents()).contains { $0.hasSuffix(".partial") })

        trained = []
        let second = try Self.sweep(
            features, identity: "cache-v1", directory: directory.url, training: training
        ).run { if !$0.wasLoaded { trained.append($0.runIndex) } }
        #expect(trained.isEmpty)
        #expect(second == first)

        // An interrupted sweep: one run's file is missing, so only that run trains again.
        let store = try ProbeRunStore(directory: directory.url)
        try FileManager.default.removeItem(
            at: store.url(learningRate: 1e-3, layer: .all, seed: 1234))
        _ = try Self.sweep(
            features, identity: "cache-v1", directory: directory.url, training: training
        ).run { if !$0.wasLoaded { trained.append($0.runIndex) } }
        #expect(trained == [3])
        trained = []

        let third = try Self.sweep(
            features, identity: "cache-v2", directory: directory.url, training: training
        ).run { if !$0.wasLoaded { trained.append($0.runIndex) } }
        #expect(trained == [1, 2, 3, 4])
        #expect(third.runs.map(timeless) == first.runs.map(timeless))

        trained = []
        training.batchSize = 8
        _ = try Self.sweep(
            features, identity: "cache-v2", directory: directory.url, training: training
        ).run { if !$0.wasLoaded { trained.append($0.runIndex) } }
        #expect(trained == [1, 2, 3, 4])
    }

    @Test("a run file that is not a run record is reported with its path")
    func corruptRecord() throws {
        let directory = try TemporaryDirectory()
        let store = try ProbeRunStore(directory: directory.url)
        let url = store.url(learningRate: 1e-3, layer: .single(3), seed: 1)
        try Data("{".utf8).write(to: url)
        let synthetic = try SyntheticProbeTask.classification()
        let fingerprint = ProbeRunFingerprint(
            task: synthetic.task, featuresIdentity: "x", settings: "y")
        #expect(url.lastPathComponent == "lr=0.001_layer=3_seed=1.json")
        do {
            _ = try store.load(
                learningRate: 1e-3, layer: .single(3), seed: 1, fingerprint: fingerprint)
            Issue.record("no error")
        } catch let error as ProbeError {
            #expect(
                error.description.hasPrefix("[ProbeRunStore] \(url.path): not a probe run record"))
        }
    }

    @Test("the grid runs learning rates × layers × seeds and selects on validation")
    func gridAndSelection() throws {
        let synthetic = try SyntheticProbeTask.classification(informativeLayer: 2, noise: 1.5)
        let features = try synthetic.featureSet()
        var training = smallConfiguration(synthetic.task)
        training.schedule = .init(
            learningRatePatience: 1, earlyStoppingPatience: 2, maximumEpochs: 6)
        let sweep = ProbeSweep(
            features: features,
            configuration: ProbeSweepConfiguration(
                training: training, learningRates: [1e-2], seeds: [1, 2]),
            featuresIdentity: "synthetic")
        let result = try sweep.run()
        // Default layers: all, then 0…3; two seeds each.
        #expect(result.runs.count == 10)
        #expect(result.runs.map(\.layer).prefix(4) == [.all, .all, .single(0), .single(0)])
        #expect(result.configurations.count == 5)
        let selected = try #require(result.selected)
        #expect(selected.meanValidMonitor == result.configurations.map(\.meanValidMonitor).max())
        #expect(selected.layer != .single(0))
    }
}

@Suite("Probe feature set")
struct ProbeFeatureSetTests {
    @Test("an item whose features cannot be had is named in the error")
    func badItemNamed() throws {
        let synthetic = try SyntheticProbeTask.classification()
        struct Unreadable: Error, CustomStringConvertible {
            var description: String { "truncated .npy" }
        }
        do {
            _ = try ProbeFeatureSet(task: synthetic.task) { item in
                if item.id == "valid/3.wav" { throw Unreadable() }
                return synthetic.features[item.id] ?? Tensor.zeros([1])
            }
            Issue.record("no error")
        } catch let error as ProbeError {
            #expect(
                error.description
                    == "[ProbeFeatureSet] item valid/3.wav: features unavailable: truncated .npy")
        }
    }

    @Test("features of another shape are refused, naming the item and both shapes")
    func shapeMismatch() throws {
        let synthetic = try SyntheticProbeTask.classification()
        #expect(
            throws: ProbeError.featureShape(
                item: "train/1.wav", expected: "[4, windows ≥ 1, 8]", found: [4, 2, 7])
        ) {
            try ProbeFeatureSet(task: synthetic.task) { item in
                item.id == "train/1.wav"
                    ? Tensor.zeros([4, 2, 7]) : synthetic.features[item.id] ?? Tensor.zeros([1])
            }
        }
    }

    @Test("train windows are samples; each item's windows stay grouped")
    func rowsPerItem() throws {
        let synthetic = try SyntheticProbeTask.classification()
        let features = try synthetic.featureSet()
        #expect(features.train.rowCount == 120)
        #expect(features.train.itemRows[3] == 6..<8)
        let item = try #require(synthetic.features[features.train.items[3].id])
        // Row 7 = item 3's second window; hidden state 2 of it.
        let gathered = features.train.gather(rows: [7], hiddenStates: 2..<3).scalars
        let expected = Array(item.scalars[((2 * 2 + 1) * 8)..<((2 * 2 + 1) * 8 + 8)])
        #expect(gathered == expected)
    }
}

@Suite("Plateau and early stopping")
struct PlateauAndStoppingTests {
    @Test("ReduceLROnPlateau halves after more than patience bad epochs, with a relative threshold")
    func plateau() {
        var plateau = PlateauLearningRate(learningRate: 1e-3, patience: 2)
        let monitors = [0.5, 0.5, 0.50004, 0.5, 0.6, 0.6, 0.6, 0.6]
        var rates: [Double] = []
        for monitor in monitors {
            plateau.step(monitor: monitor)
            rates.append(plateau.learningRate)
        }
        #expect(rates == [1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 5e-4, 5e-4, 2.5e-4])
    }

    @Test("early stopping stops patience epochs after the first strictly best monitor")
    func stopping() {
        var stopping = EarlyStopping(patience: 3)
        let decisions = [0.4, 0.6, 0.6, 0.5, 0.6].map { stopping.update(monitor: $0) }
        #expect(decisions.map(\.isBest) == [true, true, false, false, false])
        #expect(decisions.map(\.shouldStop) == [false, false, false, false, true])
        #expect(stopping.bestEpoch == 2)
        var diverged = EarlyStopping(patience: 3)
        #expect(diverged.update(monitor: .nan).shouldStop)
    }
}
