import Foundation
import MusicSSLCore
import MusicSSLProbe

/// MARBLE's probe sweep (6 learning rates × layer {all, 0…12}, seed 1234, GTZAN's schedule:
/// plateau 6, early stop 20, at most 100 epochs, batch 64, MLP 512 with dropout 0.2) on a
/// synthetic 1,000-item, 13 × 768, 10-class task, MusicSSL's ``ProbeSweep`` against the same
/// protocol in PyTorch (`Benchmarks/reference_probe.py`), round by round on the same features.
enum ProbeBenchmark {
    static let splitCounts = [700, 150, 150]
    static let hiddenStateCount = 13
    static let dimensions = 768
    static let classCount = 10
    static let schedule = ProbeSchedule(
        learningRatePatience: 6, earlyStoppingPatience: 20, maximumEpochs: 100)
    static let featuresURL = URL(fileURLWithPath: "/tmp/msl-bench-probe-features.npy")
    static let labelsURL = URL(fileURLWithPath: "/tmp/msl-bench-probe-labels.npy")

    /// Features `[items, 13, 768]`: hidden state l carries the item's class prototype scaled
    /// by a strength that peaks at layer 7 (0.02 at the ends, 0.1 at the peak) in unit noise,
    /// so layers differ and the sweep has something to choose. Labels `i % 10`.
    static func data() throws -> (features: Tensor, labels: [Int]) {
        let itemCount = splitCounts.reduce(0, +)
        var generator = SplitMix64(seed: 2024)
        let prototypes = Tensor.randomNormal([classCount, dimensions], using: &generator).scalars
        var values = Tensor.randomNormal(
            [itemCount, hiddenStateCount, dimensions], using: &generator
        ).scalars
        let labels = (0..<itemCount).map { $0 % classCount }
        for item in 0..<itemCount {
            for layer in 0..<hiddenStateCount {
                let strength = Float(0.02 + 0.08 * (1 - abs(Double(layer) - 7) / 7))
                let base = (item * hiddenStateCount + layer) * dimensions
                for dimension in 0..<dimensions {
                    values[base + dimension] +=
                        strength * prototypes[labels[item] * dimensions + dimension]
                }
            }
        }
        return (
            try Tensor(shape: [itemCount, hiddenStateCount, dimensions], scalars: values), labels
        )
    }

    /// The task and feature set of `data`: items in train, valid, test order, one window each.
    static func featureSet(features: Tensor, labels: [Int]) throws -> ProbeFeatureSet {
        var items: [TaskItem] = []
        for (index, label) in labels.enumerated() {
            let split: DataSplit =
                index < splitCounts[0]
                ? .train : index < splitCounts[0] + splitCounts[1] ? .valid : .test
            items.append(
                TaskItem(
                    id: "item\(index)", url: URL(fileURLWithPath: "/synthetic/\(index).wav"),
                    split: split, label: .classIndex(label)))
        }
        let task = ProbeTask(
            name: "synthetic-1000", kind: .singleLabel(classes: (0..<classCount).map(String.init)),
            metric: .accuracy, items: items, schedule: schedule)
        let perItem = hiddenStateCount * dimensions
        return try features.withUnsafeBufferPointer { buffer in
            try ProbeFeatureSet(task: task) { item in
                guard let index = Int(item.id.dropFirst(4)) else {
                    throw BenchmarkError.invalidArgument("bad synthetic item \(item.id)")
                }
                return try Tensor(
                    shape: [hiddenStateCount, 1, dimensions],
                    scalars: Array(buffer[(index * perItem)..<((index + 1) * perItem)]))
            }
        }
    }
}

/// One side's sweep.
struct ProbeSweepRun {
    var seconds: Double
    var runs: Int
    var epochs: Int
    var selected: String
    var valid: Double
    var test: Double
}

private struct ReferenceProbeReply: Decodable {
    struct Selected: Decodable {
        let lr: Double
        let layer: String
        let valid: Double
        let test: Double
    }
    let seconds: Double
    let runs: Int
    let epochs: Int
    let selected: Selected
    let torch: String
    let threads: Int
}

/// Runs both sides `options.roundCount` times, alternating, and prints the table.
func compareProbeSweeps(_ options: BenchmarkOptions) throws {
    BLAS.threadCount = options.threadCount
    Parallelism.threadCount = options.threadCount
    let (features, labels) = try ProbeBenchmark.data()
    try NumPyWriter.write(features, to: ProbeBenchmark.featuresURL)
    try NumPyWriter.write(int64: labels, shape: [labels.count], to: ProbeBenchmark.labelsURL)
    let featureSet = try ProbeBenchmark.featureSet(features: features, labels: labels)
    var notes: [String] = []
    let script: String? =
        options.python != nil ? try referenceScriptPath("reference_probe.py") : nil
    if script == nil {
        notes.append("PyTorch column skipped: set MSL_BENCH_PYTHON to a Python with torch.")
    }
    var ours: [ProbeSweepRun] = [], theirs: [ProbeSweepRun] = []
    var torchLabel = "PyTorch"
    for round in 0..<options.roundCount {
        let start = DispatchTime.now().uptimeNanoseconds
        let sweep = ProbeSweep(
            features: featureSet,
            configuration: ProbeSweepConfiguration(schedule: ProbeBenchmark.schedule),
            featuresIdentity: "msl-bench synthetic-1000")
        let result = try sweep.run()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        let selected = result.selected
        let selectedRun = selected?.runs.first
        ours.append(
            ProbeSweepRun(
                seconds: seconds, runs: result.runs.count,
                epochs: result.runs.reduce(0) { $0 + $1.epochCount },
                selected: selected.map { "lr \($0.learningRate), layer \($0.layer)" } ?? "–",
                valid: selectedRun?.valid.monitor ?? .nan,
                test: selectedRun?.test.monitor ?? .nan))
        FileHandle.standardError.write(
            Data("round \(round + 1): MusicSSL \(Report.format(seconds, digits: 1)) s\n".utf8))
        settle()
        if let python = options.python, let script {
            let (run, label) = try runReferenceProbe(
                python: python, script: script, threads: options.threadCount)
            theirs.append(run)
            torchLabel = label
            FileHandle.standardError.write(
                Data(
                    "round \(round + 1): \(label) \(Report.format(run.seconds, digits: 1)) s\n".utf8
                ))
            settle()
        }
    }
    print("## Probe sweep: MARBLE protocol, synthetic 1,000 items × 13 × 768, 10 classes\n")
    print(
        "84 runs (LR {5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2} × layer {all, 0…12}), seed 1234, "
            + "MLP 512 / dropout 0.2, Adam, ReduceLROnPlateau(0.5, patience 6), early stopping "
            + "patience 20, ≤ 100 epochs, batch 64, 700 / 150 / 150 items; \(options.roundCount) "
            + "round(s), \(options.threadCount) threads.\n")
    print(Report.probeTable(ours: ours, theirs: theirs, theirLabel: torchLabel))
    for note in notes { print("\n" + note) }
    print()
}

private func runReferenceProbe(
    python: String, script: String, threads: Int
) throws -> (ProbeSweepRun, String) {
    let reply = try runReferenceScript(
        python: python, script: script,
        arguments: [
            "--features", ProbeBenchmark.featuresURL.path, "--labels", ProbeBenchmark.labelsURL.path,
            "--threads", String(threads), "--splits",
            ProbeBenchmark.splitCounts.map(String.init).joined(separator: ","),
        ],
        environment: ["OMP_NUM_THREADS": String(threads)], as: ReferenceProbeReply.self)
    return (
        ProbeSweepRun(
            seconds: reply.seconds, runs: reply.runs, epochs: reply.epochs,
            selected: "lr \(reply.selected.lr), layer \(reply.selected.layer)",
            valid: reply.selected.valid, test: reply.selected.test),
        "PyTorch \(reply.torch) (\(reply.threads) threads)"
    )
}

extension Report {
    /// Per-round figures per side and the speed-up.
    static func probeTable(
        ours: [ProbeSweepRun], theirs: [ProbeSweepRun], theirLabel: String
    )
        -> String
    {
        var lines = [
            "| round | side | sweep s | runs | epochs | ms / epoch | selected | valid acc | test acc |",
            "|---:|---|---:|---:|---:|---:|---|---:|---:|",
        ]
        func row(_ round: Int, _ side: String, _ run: ProbeSweepRun) -> String {
            let cells = [
                "\(round)", side, format(run.seconds, digits: 1), "\(run.runs)", "\(run.epochs)",
                format(run.seconds * 1000 / Double(max(run.epochs, 1)), digits: 1), run.selected,
                format(run.valid, digits: 3), format(run.test, digits: 3),
            ]
            return "| " + cells.joined(separator: " | ") + " |"
        }
        for (index, mine) in ours.enumerated() {
            lines.append(row(index + 1, "MusicSSL", mine))
            if index < theirs.count { lines.append(row(index + 1, theirLabel, theirs[index])) }
        }
        let mine = Summary(ours.map(\.seconds))
        let minePerEpoch = Summary(ours.map { $0.seconds / Double(max($0.epochs, 1)) })
        var summary =
            "\nMusicSSL: median \(format(mine.median, digits: 1)) s per sweep, "
            + "\(format(minePerEpoch.median * 1000, digits: 1)) ms per epoch."
        if !theirs.isEmpty {
            let reference = Summary(theirs.map(\.seconds))
            let referencePerEpoch = Summary(theirs.map { $0.seconds / Double(max($0.epochs, 1)) })
            summary +=
                " \(theirLabel): median \(format(reference.median, digits: 1)) s per sweep, "
                + "\(format(referencePerEpoch.median * 1000, digits: 1)) ms per epoch."
            summary +=
                " **Sweep time ratio PyTorch / MusicSSL \(format(reference.median / mine.median, digits: 2))×;"
                + " per epoch \(format(referencePerEpoch.median / minePerEpoch.median, digits: 2))×.**"
        }
        return lines.joined(separator: "\n") + "\n" + summary
    }
}
