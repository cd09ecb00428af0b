import ArgumentParser
import Foundation
import MusicSSLCore

/// `msl features`: computes MFCC, filterbank, mel or CQT features of audio files and saves each
/// as a `[frames, dimensions]` Float32 `.npy` array.
struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute MFCC, filterbank, mel or CQT features of audio files as .npy arrays.",
        discussion: """
            Each input is decoded (any format libsndfile reads), mixed down to mono, \
            resampled to the feature's sample rate and saved as a [frames, dimensions] \
            float32 .npy array that numpy.load reads.

              mfcc   Kaldi MFCC at 16 kHz. --variant kaldi39 (default): 13 cepstra
                     + deltas + delta-deltas, as torchaudio.compliance.kaldi.mfcc
                     (use_energy=False) and HuBERT's first labels; kaldi60: 20
                     cepstra + deltas + delta-deltas; librosa: librosa.feature.mfcc
                     defaults (20 coefficients) at 22.05 kHz.
              fbank  torchaudio.compliance.kaldi.fbank defaults (23 log-mel bins),
                     16 kHz.
              mel    librosa.feature.melspectrogram defaults in dB (128 bins),
                     22.05 kHz.
              cqt    MERT's CQT target (nnAudio CQT1992v2: 336 bins, 48 per
                     octave, hop 320, magnitude), 24 kHz.

            With one input, -o may name the .npy file; otherwise -o is a directory \
            (created if missing) that receives <input name>.npy for each input. \
            Existing files are kept unless --overwrite is given. A file that cannot be \
            read is reported and skipped, and the exit status is then 1.
            """)

    @Argument(help: "The feature: mfcc, fbank, mel or cqt.")
    var kind: FeatureKind

    @Argument(help: "Audio files to process.")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "A .npy file (one input) or a directory.")
    var output: String

    @Option(help: "The MFCC recipe: kaldi39, kaldi60 or librosa (mfcc only; default kaldi39).")
    var variant: FeatureVariant?

    @Option(help: "Resample to this rate in Hz before computing (default: the feature's own).")
    var sampleRate: Int?

    @Flag(help: "Replace output files that already exist.")
    var overwrite = false

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("Give at least one audio file.") }
        if let variant, kind != .mfcc {
            throw ValidationError(
                "--variant \(variant.rawValue) applies to mfcc only, not to \(kind.rawValue).")
        }
        if let sampleRate, !(1000...768_000).contains(sampleRate) {
            throw ValidationError("--sample-rate must be in 1000...768000 Hz, got \(sampleRate).")
        }
    }

    func run() throws {
        let plan = try FeatureOutputPlan(
            inputs: inputs, output: output, allowsOverwriting: overwrite)
        if let directory = plan.directory {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true)
        }
        let recipe = try FeatureRecipe(kind: kind, variant: variant, sampleRate: sampleRate)
        let progress =
            plan.jobs.count > 1
            ? ProgressBar(label: "features", total: plan.jobs.count) : nil
        var failures: [(input: String, reason: String)] = []
        var lastShape: [Int] = []
        for job in plan.jobs {
            do {
                let features = try recipe.features(of: AudioDecoder.read(job.input))
                try NumPyWriter.write(features, to: job.output)
                lastShape = features.shape
                progress?.advance()
            } catch {
                failures.append((job.input.path, "\(error)"))
                progress?.advance(isFailure: true)
            }
        }
        progress?.finish()

        let written = plan.jobs.count - failures.count
        if plan.jobs.count == 1, written == 1 {
            print("\(plan.jobs[0].output.path): \(lastShape) float32, \(recipe)")
        } else if written > 0 {
            let destination = plan.directory?.path ?? output
            print(
                "\(destination): \(written) arrays of [frames, \(lastShape.last ?? 0)] float32, "
                    + "\(recipe)")
        }
        guard failures.isEmpty else {
            var report = "msl features: \(failures.count) of \(plan.jobs.count) inputs failed:\n"
            // Most errors already name their file; the others get it in front.
            for (input, reason) in failures.prefix(10) {
                report += reason.contains(input) ? "  \(reason)\n" : "  \(input): \(reason)\n"
            }
            if failures.count > 10 { report += "  and \(failures.count - 10) more\n" }
            FileHandle.standardError.write(Data(report.utf8))
            throw ExitCode.failure
        }
    }
}
