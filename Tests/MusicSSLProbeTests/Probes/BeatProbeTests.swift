import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

@Suite("Beat-tracking probe")
struct BeatProbeTests {
    static let framesPerSecond = 50.0

    /// Items of 15 s at 50 fps whose frame features carry an impulse at beat frames in channel
    /// 0 (noise elsewhere); tempi 100–140 bpm.
    static func beatTask() throws -> SyntheticProbeTask {
        var generator = SplitMix64(seed: 41)
        let seconds = 15.0
        let frameCount = Int(seconds * framesPerSecond)
        var beatLists: [[Double]] = []
        for _ in 0..<12 {
            let period = 60 / Double.random(in: 100...140, using: &generator)
            let start = Double.random(in: 0.1...0.5, using: &generator)
            beatLists.append(Array(stride(from: start, to: seconds, by: period)))
        }
        let items = SyntheticProbeTask.items(
            counts: [(.train, 8), (.valid, 2), (.test, 2)], label: { .beats(beatLists[$0]) })
        var features: [String: Tensor] = [:]
        for (index, item) in items.enumerated() {
            let (hiddenStates, dimensions) = (2, 4)
            var values = Tensor.randomNormal(
                [hiddenStates, frameCount, dimensions], standardDeviation: 0.1, using: &generator
            ).scalars
            let frames = BeatLabelGrid.beatFrames(
                beatLists[index], framesPerSecond: framesPerSecond, frameCount: frameCount)
            for layer in 0..<hiddenStates {
                for frame in frames { values[(layer * frameCount + frame) * dimensions] += 1 }
            }
            features[item.id] = try Tensor(
                shape: [hiddenStates, frameCount, dimensions], scalars: values)
        }
        let task = ProbeTask(
            name: "synthetic-rhythm", kind: .beatTracking, metric: .beatFMeasure, items: items,
            schedule: .init(learningRatePatience: 4, earlyStoppingPatience: 6, maximumEpochs: 30))
        return SyntheticProbeTask(task: task, features: features, framesPerSecond: framesPerSecond)
    }

    @Test("a beat probe on impulse features decodes beats with F > 0.9")
    func learnsBeats() throws {
        let synthetic = try Self.beatTask()
        var configuration = smallConfiguration(synthetic.task, learningRate: 1e-2)
        configuration.batchSize = 1
        let result = try ProbeTrainer(
            features: try synthetic.featureSet(), configuration: configuration
        ).run()
        #expect(result.test.values["beat_f"] ?? 0 > 0.9, "\(result.test)")
        #expect(result.test.values["beat_f_mir_eval"] ?? 0 > 0.9, "\(result.test)")
        #expect(result.valid.monitor == result.valid.values["beat_f"])
    }

    @Test("the label grid rounds beats to frames, drops those past the end, widens on request")
    func labelGrid() {
        let frames = BeatLabelGrid.beatFrames(
            [0.01, 0.5, 0.51, 2.0], framesPerSecond: 50, frameCount: 100)
        #expect(frames == [0, 25, 26])
        let targets = BeatLabelGrid.targets(frameCount: 6, beatFrames: [0, 3], widening: 1)
        #expect(targets == [1, 1, 1, 1, 1, 0])
        #expect(BeatLabelGrid.targets(frameCount: 4, beatFrames: [2], widening: 0) == [0, 0, 1, 0])
    }

    @Test("a beat-tracking feature set needs its frame rate")
    func needsFrameRate() throws {
        let synthetic = try Self.beatTask()
        #expect(throws: ProbeError.self) {
            try ProbeFeatureSet(task: synthetic.task) {
                synthetic.features[$0.id] ?? Tensor.zeros([1])
            }
        }
    }
}
