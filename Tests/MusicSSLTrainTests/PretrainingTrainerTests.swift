import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

/// Synthetic music: each 0.25 s segment of a clip holds one of four chords, and the 100 Hz
/// labels say which, so a model that learns the audio can predict them.
final class ChordBatches: PretrainingBatchSource {
    static let sampleRate = 16_000
    static let clipSamples = 8_000
    let seed: UInt64
    let poisonedIndex: Int?
    private(set) var labels: [String: [Int]] = [:]

    init(seed: UInt64, poisonedIndex: Int? = nil) {
        self.seed = seed
        self.poisonedIndex = poisonedIndex
    }

    /// The chord of each segment of file `index` and its 100 Hz labels.
    static func chords(forFile index: Int) -> [Int] {
        var generator = SplitMix64(seed: 99, index: UInt64(index))
        return (0..<2).map { _ in Int.random(in: 0..<4, using: &generator) }
    }

    func batch(at index: Int) throws -> PretrainingBatch {
        var generator = SplitMix64(seed: seed, index: UInt64(index))
        var samples: [Float] = []
        var sources: [PretrainingBatch.ClipSource] = []
        let roots: [Double] = [196, 247, 294, 370]
        for _ in 0..<2 {
            let file = Int.random(in: 0..<8, using: &generator)
            let chords = Self.chords(forFile: file)
            for (segment, chord) in chords.enumerated() {
                for n in 0..<(Self.clipSamples / 2) {
                    let t = Double(segment * Self.clipSamples / 2 + n) / Double(Self.sampleRate)
                    let f = roots[chord]
                    samples.append(Float(0.3 * sin(2 * .pi * f * t) + 0.2 * sin(2 * .pi * f * 1.5 * t)))
                }
            }
            sources.append(.init(path: "file\(file).wav", startSeconds: 0))
        }
        if index == poisonedIndex { samples[17] = .nan }
        return PretrainingBatch(
            waveforms: try Tensor(shape: [2, Self.clipSamples], scalars: samples), sampleRate: Self.sampleRate,
            sources: sources)
    }

    /// Labels of every file, 50 at 100 Hz per 0.5 s clip.
    static var labelTable: FrameLabelTable {
        var table: [String: [Int]] = [:]
        for file in 0..<8 {
            table["file\(file).wav"] = chords(forFile: file).flatMap { [Int](repeating: $0, count: 25) }
        }
        return FrameLabelTable(labelRate: 100, clusterCount: 4, labelsByPath: table)
    }
}

@Suite("Pre-training trainer")
struct PretrainingTrainerTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    init(directory: TemporaryDirectory) { self.directory = directory }

    static let configuration = EncoderConfiguration(
        convolutionLayers: ConvolutionLayerShape.wav2vec2(channels: 16), modelDimensions: 32, layerCount: 2,
        headCount: 4, feedForwardDimensions: 64, positionalConvolution: .weightNormalized(kernelSize: 16, groupCount: 4),
        dropoutProbability: 0, attentionDropoutProbability: 0, inputDropoutProbability: 0, layerDropProbability: 0)

    func hubert(seed: UInt64) throws -> MaskedPredictionModel {
        var generator = SplitMix64(seed: seed)
        return try MaskedPredictionModel.musicHuBERT(
            configuration: Self.configuration, labels: ChordBatches.labelTable,
            masking: SpanMasking(probability: 0.5, spanLength: 4, minimumMasks: 1), finalDimensions: 16,
            using: &generator)
    }

    func trainer(_ model: MaskedPredictionModel, steps: Int, data: ChordBatches, in run: URL, learningRate: Float = 2e-3) throws -> PretrainingTrainer {
        var options = PretrainingTrainer.Options(steps: steps)
        options.checkpointEvery = 3
        options.logEvery = 1
        options.clipNorm = 10
        options.seed = 5
        return PretrainingTrainer(
            model: model, optimizer: try AdamW(beta1: 0.9, beta2: 0.98, epsilon: 1e-6, weightDecay: 0.01),
            schedule: ConstantSchedule(learningRate: learningRate), data: data, options: options, directory: run)
    }

    @Test("MusicHuBERT's loss falls and its masked accuracy rises on learnable chord labels")
    func lossFalls() throws {
        let run = directory.file("run")
        let trainer = try trainer(try hubert(seed: 1), steps: 60, data: ChordBatches(seed: 3), in: run, learningRate: 3e-3)
        var losses: [Double] = []
        var lastLine = ""
        try trainer.run(resume: false) {
            losses.append($0.loss)
            lastLine = $0.progressLine.render()
        }
        #expect(lastLine.hasPrefix("step 60/60") && lastLine.contains(" acc ") && lastLine.contains("samples/s"), "\(lastLine)")
        let early = losses.prefix(5).reduce(0, +) / 5, late = losses.suffix(5).reduce(0, +) / 5
        #expect(late < 0.7 * early, "loss \(early) → \(late)")
        let records = try MetricsLog.read(from: run.appendingPathComponent("metrics.jsonl")).records
        #expect(records.count == 60)
        // Each term's own (unweighted) loss is logged; with one term of weight 1 the total is
        // that loss plus 10 × the feature penalty.
        let last = try #require(records.last)
        let termLoss = try #require(last.values["hubert/loss"])
        #expect(Swift.abs(termLoss + 10 * (last.values["feature_penalty"] ?? 0) - last.loss) < 1e-4 * last.loss)
        // Chance is 1/4 (four chords); the last ten updates' masked accuracy, about 240 frames.
        let accuracy = records.suffix(10).map { $0.values["hubert/masked_accuracy"] ?? 0 }.reduce(0, +) / 10
        #expect(accuracy > 0.6, "masked accuracy \(accuracy)")
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("loss_curve.svg").path))
    }

    @Test("a run resumed from its checkpoint ends where an uninterrupted run ends")
    func resumeMatches() throws {
        let straight = try hubert(seed: 1)
        try trainer(straight, steps: 6, data: ChordBatches(seed: 3), in: directory.file("straight")).run(resume: false)

        let interrupted = directory.file("interrupted")
        try trainer(try hubert(seed: 1), steps: 3, data: ChordBatches(seed: 3), in: interrupted).run(resume: false)
        let resumedModel = try hubert(seed: 77)  // different weights: all must come from the checkpoint
        let summary = try trainer(resumedModel, steps: 6, data: ChordBatches(seed: 3), in: interrupted).run(resume: true)
        #expect(summary.resumedFrom == 3 && summary.steps == 6)
        for (name, parameter) in straight.namedParameters() {
            let resumed = try #require(resumedModel.parameter(named: name))
            // In one process other tests switch OpenBLAS's thread count, which moves GEMM's last
            // bits, and Adam turns tiny gradient differences into up to ~5 % of a step (lr 2e-3);
            // a resume that lost the optimizer's moments is off by about a whole step.
            expectClose(resumed.value, parameter.value, tolerance: 1e-4, name)
        }
        let records = try MetricsLog.read(from: interrupted.appendingPathComponent("metrics.jsonl")).records
        #expect(records.map(\.step) == Array(1...6))
    }

    @Test("a NaN loss stops the run naming the update and keeps the last good checkpoint")
    func nonFiniteLoss() throws {
        let run = directory.file("nan")
        let trainer = try trainer(try hubert(seed: 1), steps: 6, data: ChordBatches(seed: 3, poisonedIndex: 4), in: run)
        // Batch 4 is the fifth update's (updates count from 1); the last checkpoint is update 3's.
        #expect(throws: TrainingError.nonFiniteLoss(step: 5, lastCheckpointStep: 3)) { try trainer.run(resume: false) }
        #expect(try trainer.checkpointStore().steps() == [3])
    }

    @Test("Music2vec trains with its EMA teacher and logs the collapse monitors")
    func music2vec() throws {
        var generator = SplitMix64(seed: 2)
        var configuration = Self.configuration
        configuration.featureExtractorNormalization = .layerNormEveryLayer
        configuration.positionalConvolution = .stacked(layerCount: 2, kernelSize: 5, groupCount: 4)
        let model = try MaskedPredictionModel.music2vec(
            configuration: configuration, topLayerCount: 2,
            decaySchedule: EMADecaySchedule(start: 0.9, end: 0.99, annealSteps: 10),
            masking: SpanMasking(probability: 0.5, spanLength: 4, minimumMasks: 1), using: &generator)
        let run = directory.file("d2v")
        try trainer(model, steps: 4, data: ChordBatches(seed: 3), in: run).run(resume: false)
        let records = try MetricsLog.read(from: run.appendingPathComponent("metrics.jsonl")).records
        #expect(records.allSatisfy { ($0.values["data2vec/target_variance"] ?? 0) > 0 })
        let checkpoint = try #require(try trainer(model, steps: 4, data: ChordBatches(seed: 3), in: run).checkpointStore().latest().checkpoint)
        #expect(checkpoint.tensorNames.contains { $0.hasPrefix("targets.data2vec.teacher.layers.0.") })
    }
}

@Suite("Pre-training trainer: a locked run directory")
struct PretrainingTrainerLockTests {
    @Test("a second trainer on a directory in use fails naming the holder, and nothing is written")
    func lockedDirectory() throws {
        let directory = try TemporaryDirectory()
        let run = directory.file("run")
        let holder = try RunDirectory(url: run)
        defer { holder.release() }
        let tests = PretrainingTrainerTests(directory: directory)
        let trainer = try tests.trainer(try tests.hubert(seed: 1), steps: 2, data: ChordBatches(seed: 3), in: run)
        #expect(throws: RunDirectoryError.self) { try trainer.run(resume: false) }
        #expect(try trainer.checkpointStore().steps().isEmpty)
    }
}
