import ArgumentParser
import Foundation
import MusicSSLCore
import MusicSSLTrain

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

            Under mpirun (mpirun -np N msl extract …) the N ranks split the inputs (rank r \
            takes inputs r, r + N, …) and write the same files as one process; rank 0 shows \
            its progress and the total.
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
        let job = try DistributedJob.join()
        let failed = try job.run { try extract(in: job) }
        if failed { throw ExitCode.failure }
    }

    /// Extracts this rank's share of the inputs (all of them without mpirun); returns whether
    /// any input failed on any rank.
    ///
    /// Every rank plans every output (so all refuse a bad `-o` alike), then rank `r` of `N`
    /// writes inputs r, r + N, r + 2N, … (``Communicator/share(of:)``). Rank 0 shows the
    /// progress of its share and the summary of all ranks; each rank lists its own failures.
    private func extract(in job: DistributedJob) throws -> Bool {
        let communicator = job.communicator
        let files = try inputs.flatMap { input -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue else {
                return [input]
            }
            return try AudioCorpus(scanning: URL(fileURLWithPath: input), index: .disabled).files.map(\.url.path)
        }
        let plan = try FeatureOutputPlan(inputs: files, output: output, allowsOverwriting: overwrite)
        if let directory = plan.directory, job.isRoot {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        // No rank writes before every rank has checked that no output exists yet.
        if communicator.size > 1 { try communicator.barrier() }
        let model = try EncoderCheckpoint.importEncoder(from: URL(fileURLWithPath: checkpoint)).model
        let extractor = LayerFeatureExtractor(
            model: model, layers: try selectedLayers(), pooling: pool, windowSeconds: windowSeconds)
        let rate = model.configuration.sampleRate
        let share = communicator.share(of: plan.jobs)
        let ranks = communicator.size > 1 ? " (\(communicator.rankDescription))" : ""
        let progress = job.isRoot && plan.jobs.count > 1
            ? ProgressBar(label: "extract\(ranks)", total: share.count) : nil
        var failures: [String] = []
        var lastShape: [Int] = []
        for item in share {
            do {
                let features = try extractor.features(of: try Self.decode(item.input, rate: rate))
                try NumPyWriter.write(features, to: item.output)
                lastShape = features.shape
                progress?.advance()
            } catch {
                // Most errors already name their file; the others get it in front.
                let reason = "\(error)"
                failures.append(reason.contains(item.input.path) ? reason : "\(item.input.path): \(reason)")
                progress?.advance(isFailure: true)
            }
        }
        progress?.finish()
        if !failures.isEmpty {
            let report = "msl extract\(ranks): \(failures.count) of \(share.count) inputs failed:\n"
                + failures.prefix(10).map { "  \($0)\n" }.joined()
            FileHandle.standardError.write(Data(report.utf8))
        }
        var counts = [Double(share.count - failures.count), Double(failures.count)]
        try communicator.allReduceSum(&counts)
        let (written, failed) = (Int(counts[0]), Int(counts[1]))
        if job.isRoot && written > 0 {
            let destination = plan.jobs.count == 1 ? plan.jobs[0].output.path : (plan.directory?.path ?? output)
            let shape = lastShape.isEmpty ? "" : " last \(lastShape)"
            let over = communicator.size > 1 ? " over \(communicator.size) ranks" : ""
            print("\(destination): \(written) array(s)\(over),\(shape) float32 (\(pool.rawValue) pooling)")
        }
        if job.isRoot && failed > 0 && communicator.size > 1 {
            ProgressBar.writeToStandardError(
                "msl extract: \(failed) of \(plan.jobs.count) inputs failed over \(communicator.size) ranks\n")
        }
        return failed > 0
    }

    /// `url` decoded to mono at `rate`. The clip at the file's own rate is released on return,
    /// before the model runs (an hour at 44.1 kHz is 635 MB of samples), and handed to the
    /// resampler without a copy (it pads them in place).
    private static func decode(_ url: URL, rate: Int) throws -> [Float] {
        let clip = try AudioDecoder.read(url)
        let (samples, sourceRate) = (clip.samples, clip.sampleRate)
        _ = consume clip
        return try Resampler().resample(consume samples, from: sourceRate, to: rate)
    }
}

extension FeaturePooling: ExpressibleByArgument {}
