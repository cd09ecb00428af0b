import Foundation
import MusicSSLCore

/// One workload of the encoder comparison: inference or a training step on `batch` clips.
struct EncoderWorkload: Hashable {
    let isTraining: Bool
    let batch: Int

    var label: String { isTraining ? "training step, batch \(batch)" : "inference, batch \(batch)" }
}

/// Timings and peak resident sizes of one side for one workload.
struct EncoderSamples {
    var seconds: [Double] = []
    var peakResidentMebibytes: Double?

    /// Adds one round; the peak kept is the lowest round's, since memory a side keeps from
    /// later workloads (buffer pool, tuned malloc) raises the peaks of the rounds after them.
    mutating func add(_ seconds: [Double], peak: Double?) {
        self.seconds += seconds
        if let peak { peakResidentMebibytes = min(peakResidentMebibytes ?? .infinity, peak) }
    }
}

/// The timings `reference_encoder.py` reports for one request.
struct EncoderRound: Decodable {
    let seconds: [Double]
    let peakResidentMebibytes: Double?

    enum CodingKeys: String, CodingKey {
        case seconds
        case peakResidentMebibytes = "peak_rss_mib"
    }
}

/// Runs the base and tiny encoders in MusicSSL and, when a Python is given, in transformers
/// (malloc tuned), workload by workload and round by round, and prints the table.
func compareEncoders(_ options: BenchmarkOptions) throws {
    let workloads = [
        EncoderWorkload(isTraining: false, batch: 1),
        EncoderWorkload(isTraining: false, batch: 8),
        EncoderWorkload(isTraining: true, batch: options.trainingBatch),
    ]
    var notes: [String] = []
    var torchLabel: String?
    // The floor column: each workload's products at this run's sgemm peak (the best median over
    // GEMMPeak's products at the benchmark's thread count).
    let peak = GEMMPeak(threadCounts: [options.threadCount], repeats: 5).measure()
        .map(\.medianGFLOPs).max() ?? .nan
    print("## Encoder inference and training step\n")
    print(
        "5 s clips at 16 kHz; \(options.roundCount) interleaved rounds × "
            + "\(options.iterationsPerRound) runs per side and workload; \(options.threadCount) "
            + "threads; clips/s from the median run; peak RSS: the process's high-water mark "
            + "during one round of that workload, lowest over the rounds (memory a side keeps "
            + "from earlier workloads included). GEMM floor: the workload's matrix products and "
            + "convolutions (GFLOP column) at this run's sgemm peak, "
            + "\(Report.format(peak, digits: 0)) GFLOP/s at \(options.threadCount) threads — no "
            + "implementation that does this arithmetic runs faster.\n")
    var lines = [
        "| model | workload | MusicSSL ms, median (best) | MusicSSL clips/s | MusicSSL peak RSS MiB "
            + "| torch ms, median (best) | torch clips/s | torch peak RSS MiB | speed-up, median (best) "
            + "| GFLOP | GEMM floor ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    let configurations = [("base", EncoderConfiguration.hubertBase), ("tiny", .tiny)]
    for (name, configuration) in configurations where options.encoderNames.contains(name) {
        var reference: TorchReference?
        if let python = options.python {
            do {
                reference = try TorchReference(
                    python: python, script: try referenceScriptPath("reference_encoder.py"),
                    threadCount: options.threadCount, tunesMalloc: true,
                    extraArguments: ["--config", name])
                torchLabel = reference?.label
            } catch {
                notes.append("PyTorch column skipped for \(name): \(error)")
            }
        } else {
            notes.append("PyTorch column skipped: set MSL_BENCH_PYTHON to a Python with torch.")
        }
        defer { reference?.stop() }
        let benchmark = try EncoderBenchmark(name: name, configuration: configuration)
        var ours = [EncoderWorkload: EncoderSamples](), theirs = ours
        for _ in 0..<options.roundCount {
            for workload in workloads {
                ResidentMemory.resetPeak()
                var seconds: [Double] = []
                for _ in 0..<options.iterationsPerRound {
                    seconds.append(
                        workload.isTraining
                            ? try benchmark.trainingStep(batch: workload.batch)
                            : try benchmark.inference(batch: workload.batch))
                }
                ours[workload, default: EncoderSamples()].add(
                    seconds, peak: ResidentMemory.peakMebibytes)
                settle()
                if let reference {
                    let verb = workload.isTraining ? "train" : "infer"
                    let round = try reference.request(
                        "\(verb) \(workload.batch) \(options.iterationsPerRound)",
                        as: EncoderRound.self)
                    theirs[workload, default: EncoderSamples()].add(
                        round.seconds, peak: round.peakResidentMebibytes)
                    settle()
                }
            }
        }
        let arithmetic = EncoderArithmetic(configuration: configuration)
        for workload in workloads {
            let flops = arithmetic.flops(
                samples: EncoderBenchmark.sampleRate * EncoderBenchmark.seconds, batch: workload.batch,
                isTraining: workload.isTraining)
            lines.append(
                Report.encoderRow(
                    model: name, workload: workload, ours: ours[workload], theirs: theirs[workload],
                    flops: flops, peakGFLOPs: peak))
        }
    }
    print(lines.joined(separator: "\n"))
    if let torchLabel { print("\ntorch: \(torchLabel), transformers HubertModel.") }
    for note in Set(notes).sorted() { print("\n" + note) }
    print()
}

extension Report {
    /// One row of the encoder table.
    static func encoderRow(
        model: String, workload: EncoderWorkload, ours: EncoderSamples?, theirs: EncoderSamples?,
        flops: Double, peakGFLOPs: Double
    ) -> String {
        func cells(_ samples: EncoderSamples?) -> [String] {
            guard let samples, !samples.seconds.isEmpty else { return ["–", "–", "–"] }
            let summary = Summary(samples.seconds)
            return [
                "\(format(summary.median * 1e3, digits: 0)) (\(format(summary.best * 1e3, digits: 0)))",
                format(Double(workload.batch) / summary.median, digits: 2),
                samples.peakResidentMebibytes.map { format($0, digits: 0) } ?? "–",
            ]
        }
        var speedUp = "–"
        if let ours, let theirs, !ours.seconds.isEmpty, !theirs.seconds.isEmpty {
            let (mine, reference) = (Summary(ours.seconds), Summary(theirs.seconds))
            speedUp =
                format(reference.median / mine.median, digits: 2) + "× ("
                + format(reference.best / mine.best, digits: 2) + "×)"
        }
        return "| \(model) | \(workload.label) | "
            + (cells(ours) + cells(theirs) + [speedUp]).joined(separator: " | ")
            + " | \(format(flops * 1e-9, digits: 1)) | \(format(flops / peakGFLOPs * 1e-6, digits: 0)) |"
    }
}
