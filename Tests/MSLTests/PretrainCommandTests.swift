import ArgumentParser
import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

@testable import msl

/// `msl pretrain` end to end on audio the test writes: both objectives in process and the errors a
/// user meets (the real binary under faults: ``TrainingFaultTests``).
@Suite("msl pretrain")
struct PretrainCommandTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Three 2 s clips of two-note chords with a little noise.
    func writeCorpus() throws -> URL {
        let root = directory.file("music")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var generator = SplitMix64(seed: 4)
        for (index, root_) in [196.0, 262.0, 330.0].enumerated() {
            let rate = 16_000
            let noise = Tensor.randomNormal([2 * rate], using: &generator).scalars
            let samples = (0..<(2 * rate)).map { n -> Float in
                let t = Double(n) / Double(rate)
                let chord = 0.3 * sin(2 * .pi * root_ * t) + 0.2 * sin(2 * .pi * root_ * 1.5 * t)
                return Float(chord * (n < rate ? 1 : 0.5)) + 0.01 * noise[n]
            }
            try AudioEncoder.write(
                samples, sampleRate: rate, format: .wavPCM16, to: root.appendingPathComponent("clip\(index).wav"))
        }
        return root
    }

    /// A very small model (2 × 64, CNN 32 channels) on 0.5 s crops, batch 2, `steps` updates, a
    /// checkpoint every update.
    func writeConfiguration(objective: String, steps: Int, clusters: Int = 5) throws -> URL {
        let url = directory.file("\(objective).yaml")
        try """
        objective: \(objective)
        model: {architecture: tiny, layers: 2, dimensions: 64, heads: 4, convolution_channels: 32}
        data: {crop_seconds: 0.5, batch_size: 2, prefetch_batches: 2}
        hubert: {clusters: \(clusters), final_dimensions: 16}
        data2vec: {target_layers: 2, ema_anneal_steps: 10}
        optimization: {steps: \(steps), learning_rate: 0.0005, warmup_steps: 2}
        run: {seed: 3, checkpoint_every: 1, keep_checkpoints: 2, log_every: 1}
        """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// k-means labels (K = 5, MFCC-39) of `corpus` in `labels/`.
    func writeLabels(of corpus: URL) throws -> URL {
        let model = directory.file("km.safetensors")
        try KMeansFit.parse([
            "--corpus", corpus.path, "-k", "5", "--seed", "1", "--n-init", "1", "-o", model.path,
        ]).run()
        let labels = directory.file("labels")
        try KMeansLabel.parse(["--model", model.path, "--corpus", corpus.path, "-o", labels.path]).run()
        return labels
    }

    @Test("MusicHuBERT trains from k-means labels and leaves a complete run directory")
    func musicHuBERT() throws {
        let corpus = try writeCorpus()
        let labels = try writeLabels(of: corpus)
        let run = directory.file("run")
        let config = try writeConfiguration(objective: "musichubert", steps: 3)
        try Pretrain.parse([
            "--config", config.path, "--corpus", corpus.path, "--labels", labels.path, "--out", run.path,
        ]).run()
        let contents = try FileManager.default.contentsOfDirectory(atPath: run.path).sorted()
        #expect(
            contents == [
                "checkpoints", "config.yaml", "encoder.safetensors", "loss_curve.svg", "metrics.jsonl", "run.lock",
            ])
        let records = try MetricsLog.read(from: run.appendingPathComponent("metrics.jsonl")).records
        #expect(records.map(\.step) == [1, 2, 3])
        #expect(records.allSatisfy { $0.loss.isFinite && $0.values["hubert/masked_accuracy"] != nil })
        // The stored configuration is the whole effective one, paths included.
        let stored = try ConfigurationLoader.load(contentsOf: run.appendingPathComponent("config.yaml"))
        #expect(stored.data.corpus == corpus.path && stored.hubert.clusters == 5 && stored.optimization.steps == 3)
        #expect(stored.model.layers == 2 && stored.model.dimensions == 64)
        let encoder = try EncoderCheckpoint.load(run.appendingPathComponent("encoder.safetensors"))
        #expect(encoder.configuration == (try stored.encoderConfiguration()))
        #expect(try CheckpointStore(directory: run.appendingPathComponent("checkpoints")).steps() == [2, 3])

        // Without --resume the finished run is not overwritten; with it there is nothing left to do.
        #expect(throws: TrainingError.runExists(path: run.path, latestStep: 3)) {
            try Pretrain.parse([
                "--config", config.path, "--corpus", corpus.path, "--labels", labels.path, "--out", run.path,
            ]).run()
        }
        // A resume reads the stored config.yaml when no --config is given.
        try Pretrain.parse(["--out", run.path, "--resume"]).run()
        // Another configuration is refused, naming the changed line.
        do {
            try Pretrain.parse([
                "--out", run.path, "--resume", "--set", "masking.probability=0.5",
            ]).run()
            Issue.record("a changed configuration was accepted")
        } catch let TrainingError.configurationChanged(_, differences) {
            #expect(differences.contains { $0.contains("probability: 0.8 → probability: 0.5") }, "\(differences)")
        }
    }

    @Test("labels that contradict the configuration, or are missing, are refused with the fix")
    func labelErrors() throws {
        let corpus = try writeCorpus()
        let labels = try writeLabels(of: corpus)
        let config = try writeConfiguration(objective: "musichubert", steps: 1, clusters: 7)
        #expect(
            throws: ConfigurationError.invalidValue(
                key: "hubert.clusters", value: "7", expected: "the K of the labels in \(labels.path), 5")
        ) {
            try Pretrain.parse([
                "--config", config.path, "--corpus", corpus.path, "--labels", labels.path,
                "--out", directory.file("k").path,
            ]).run()
        }
        #expect(
            throws: ConfigurationError.invalidValue(
                key: "hubert.mfcc_dimensions", value: "60", expected: "the labels' MFCC dimensions, 39 (\(labels.path))")
        ) {
            try Pretrain.parse([
                "--config", config.path, "--corpus", corpus.path, "--labels", labels.path, "--set", "hubert.clusters=5",
                "--set", "hubert.mfcc_dimensions=60", "--out", directory.file("mfcc").path,
            ]).run()
        }
        do {
            try Pretrain.parse([
                "--config", config.path, "--corpus", corpus.path, "--out", directory.file("none").path,
            ]).run()
            Issue.record("MusicHuBERT started without labels")
        } catch let error as ValidationError {
            #expect(error.message.contains("msl kmeans fit --corpus \(corpus.path) --features mfcc39 -k 7"))
        }
    }

    @Test("a file msl kmeans label skipped as damaged is left out of MusicHuBERT's training; labels of another corpus are refused")
    func damagedFile() throws {
        let corpus = try writeCorpus()
        // A FLAC file cut short: its header promises more frames than it holds, so it scans
        // but does not decode (as a real Ogg Vorbis soundtrack file did).
        let damaged = corpus.appendingPathComponent("damaged.flac")
        let clip = try AudioDecoder.read(corpus.appendingPathComponent("clip0.wav"))
        try AudioEncoder.write(clip.samples, sampleRate: clip.sampleRate, format: .flac, to: damaged)
        let bytes = try Data(contentsOf: damaged)
        try bytes.prefix(bytes.count / 2).write(to: damaged)
        let labels = try writeLabels(of: corpus)
        let km = try String(contentsOf: labels.appendingPathComponent("train.km"), encoding: .utf8)
        #expect(km.split(separator: "\n").count == 3)
        let config = try writeConfiguration(objective: "musichubert", steps: 1)
        let run = directory.file("runs/damaged")
        try Pretrain.parse([
            "--config", config.path, "--corpus", corpus.path, "--labels", labels.path, "--out", run.path,
        ]).run()
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("encoder.safetensors").path))

        // Labels of a corpus whose files all have other names.
        let other = directory.file("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        for index in 0..<3 {
            try FileManager.default.copyItem(
                at: corpus.appendingPathComponent("clip\(index).wav"),
                to: other.appendingPathComponent("take\(index).wav"))
        }
        do {
            try Pretrain.parse([
                "--config", config.path, "--corpus", other.path, "--labels", labels.path,
                "--out", directory.file("runs/other").path,
            ]).run()
            Issue.record("labels of another corpus were accepted")
        } catch let error as ValidationError {
            #expect(error.message.contains("3 of 3 corpus files have no labels"))
        }
    }

    // Kill-and-resume of the real binary: TrainingFaultTests.killCampaign (20 SIGKILLs, half of
    // them inside checkpoint writes), which uses the helpers below.

    func start(_ binary: URL, _ arguments: [String], log: URL) throws -> Process {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return process
    }

    func runToCompletion(_ binary: URL, _ arguments: [String], log: URL) throws -> Int32 {
        let process = try start(binary, arguments, log: log)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The exit status once `process` ends, or nil if it still runs after `seconds`.
    func waitForExit(_ process: Process, seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if !process.isRunning { return process.terminationStatus }
            usleep(20_000)
        }
        return process.isRunning ? nil : process.terminationStatus
    }
}
