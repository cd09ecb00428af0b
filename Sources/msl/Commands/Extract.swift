import ArgumentParser
import Foundation
import MusicSSLCore

/// `msl extract`: frozen hidden states of an encoder for audio files, one `.npy` per input.
struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract an encoder's hidden states from audio files as .npy arrays.",
        discussion: """
            Each input (a file, or a folder searched recursively for audio) is decoded, mixed \
            to mono, resampled to the model's rate and cut into windows; every window goes \
            through the model in evaluation mode. The result per input is a float32 array of \
            [layers, windows, dimensions] with --pool mean (the default, MARBLE's protocol) or \
            [layers, frames, dimensions] with --pool none. Layer 0 is the Transformer's input; \
            layer i the output of layer i.
            """)

    @Option(help: "A MusicSSL checkpoint, a HuggingFace directory, pytorch_model.bin or a fairseq .pt.")
    var checkpoint: String

    @Option(help: "all, or comma-separated hidden-state indices such as 0,6,12.")
    var layers = "all"

    @Option(help: "mean (one vector per window) or none (every frame).")
    var pool: FeaturePooling = .mean

    @Option(help: "Window length in seconds.")
    var windowSeconds: Double = 30

    @Argument(help: "Audio files or folders.")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "A .npy file (one input) or a directory.")
    var output: String

    @Flag(help: "Replace output files that already exist.")
    var overwrite = false

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("Give at least one audio file or folder.") }
        guard windowSeconds >= 0.05 else { throw ValidationError("--window-seconds must be at least 0.05, got \(windowSeconds).") }
        _ = try selectedLayers()
    }

    func selectedLayers() throws -> [Int]? {
        if layers == "all" { return nil }
        var indices: [Int] = []
        for part in layers.split(separator: ",", omittingEmptySubsequences: false) {
            guard let index = Int(part.trimmingCharacters(in: .whitespaces)), index >= 0 else {
                throw ValidationError("--layers must be 'all' or indices such as 0,6,12, got '\(layers)'.")
            }
            indices.append(index)
        }
        return indices
    }

    func run() throws {
        let files = try inputs.flatMap { input -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue else {
                return [input]
            }
            return try AudioCorpus(scanning: URL(fileURLWithPath: input), index: .disabled).files.map(\.url.path)
        }
        let plan = try FeatureOutputPlan(inputs: files, output: output, allowsOverwriting: overwrite)
        if let directory = plan.directory {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        let model = try EncoderCheckpoint.importEncoder(from: URL(fileURLWithPath: checkpoint)).model
        let extractor = LayerFeatureExtractor(
            model: model, layers: try selectedLayers(), pooling: pool, windowSeconds: windowSeconds)
        let rate = model.configuration.sampleRate
        let progress = plan.jobs.count > 1 ? ProgressBar(label: "extract", total: plan.jobs.count) : nil
        var failures: [String] = []
        var lastShape: [Int] = []
        for job in plan.jobs {
            do {
                let clip = try AudioDecoder.read(job.input)
                let samples = try Resampler().resample(clip.samples, from: clip.sampleRate, to: rate)
                let features = try extractor.features(of: samples)
                try NumPyWriter.write(features, to: job.output)
                lastShape = features.shape
                progress?.advance()
            } catch {
                // Most errors already name their file; the others get it in front.
                let reason = "\(error)"
                failures.append(reason.contains(job.input.path) ? reason : "\(job.input.path): \(reason)")
                progress?.advance(isFailure: true)
            }
        }
        progress?.finish()
        let written = plan.jobs.count - failures.count
        if written > 0 {
            let destination = plan.jobs.count == 1 ? plan.jobs[0].output.path : (plan.directory?.path ?? output)
            print("\(destination): \(written) array(s), last \(lastShape) float32 (\(pool.rawValue) pooling)")
        }
        guard failures.isEmpty else {
            let report = "msl extract: \(failures.count) of \(plan.jobs.count) inputs failed:\n"
                + failures.prefix(10).map { "  \($0)\n" }.joined()
            FileHandle.standardError.write(Data(report.utf8))
            throw ExitCode.failure
        }
    }
}

extension FeaturePooling: ExpressibleByArgument {}
