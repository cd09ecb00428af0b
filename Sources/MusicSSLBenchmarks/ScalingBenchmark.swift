import Foundation
import MusicSSLCore
import MusicSSLTrain

// Data-parallel scaling, run once under `mpirun -np 1` and once under `mpirun -np 2` (or on its
// own for one rank): the all-reduce of a base model's gradients, and training updates of
// Music2vec through PretrainingTrainer on synthetic music, each rank taking its share of cores.

/// Measures the all-reduce and the trainer's updates per second on the ranks `mpirun` started.
func measureScaling(_ options: BenchmarkOptions) throws {
    let communicator: any Communicator = try MPICommunicator.launched() ?? SingleProcessCommunicator()
    // Under mpirun, the rank's cores (mpirun binds each of up to two ranks to one core);
    // alone, --threads.
    let share = (communicator as? MPICommunicator)?.coreShare ?? options.threadCount
    BLAS.threadCount = share
    Parallelism.threadCount = share
    let isRoot = communicator.isRoot
    if isRoot {
        print("# msl-bench scaling\n")
        print("- machine: \(processorDescription())")
        print("- BLAS: \(BLAS.configuration)\n")
        print("## Data-parallel scaling: \(communicator.size) rank(s), \(share) thread(s) each\n")
    }

    // 1. MusicHuBERT (K 500 on synthetic labels) and Music2vec updates through the trainer,
    //    per-rank batch --train-batch of 5 s crops.
    if isRoot {
        print("| model | ranks | clips per update (5 s) | updates | time | updates/s | clips/s | gradient averaging per update | peak RSS (rank 0) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    }
    let runs = options.encoderNames.flatMap { name in ["MusicHuBERT", "Music2vec"].map { (objective: $0, name: name) } }
    for (objective, name) in runs {
        var modelGenerator = SplitMix64(seed: 2)
        let model = objective == "Music2vec"
            ? try MaskedPredictionModel.music2vec(
                configuration: name == "base" ? .data2vecBase : .tiny, topLayerCount: name == "base" ? 8 : 3,
                using: &modelGenerator)
            : try MaskedPredictionModel.musicHuBERT(
                configuration: name == "base" ? .hubertBase : .tiny, labels: SyntheticFrameLabels(),
                using: &modelGenerator)
        let batch = options.trainingBatch
        let data = SyntheticCropBatches(
            rows: communicator.rank * batch..<(communicator.rank + 1) * batch,
            globalRowCount: batch * communicator.size, seconds: 5)
        let steps = options.iterationsPerRound
        var trainerOptions = PretrainingTrainer.Options(steps: steps)
        trainerOptions.checkpointEvery = steps + 1
        trainerOptions.logEvery = steps
        trainerOptions.exportsEncoder = false
        trainerOptions.collapseGuardAfter = nil
        trainerOptions.clipNorm = 10
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("msl-bench-scaling-\(ProcessInfo.processInfo.processIdentifier)-\(objective)-\(name)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let trainer = PretrainingTrainer(
            model: model,
            optimizer: try AdamW(beta1: 0.9, beta2: 0.98, epsilon: 1e-6, weightDecay: 0.01),
            schedule: try TriStageSchedule(peakLearningRate: 5e-4, totalSteps: steps), data: data,
            options: trainerOptions, directory: directory, communicator: communicator)
        try communicator.barrier()
        ResidentMemory.resetPeak()
        let start = Date()
        let summary = try trainer.run(resume: false)
        let seconds = Date().timeIntervalSince(start)
        if isRoot {
            let stepsPerSecond = Double(steps) / seconds
            let peak = ResidentMemory.peakMebibytes.map { Report.format($0, digits: 0) + " MiB" } ?? "–"
            print(
                "| \(objective) \(name) | \(communicator.size) | \(communicator.size) × \(batch) | \(steps) | "
                    + "\(Report.format(seconds, digits: 1)) s | \(Report.format(stepsPerSecond, digits: 3)) | "
                    + "\(Report.format(stepsPerSecond * Double(batch * communicator.size), digits: 2)) | "
                    + "\(Report.format(summary.communicationSeconds / Double(steps) * 1000, digits: 0)) ms | \(peak) |")
        }
    }
    // 2. The base model's gradients (HuBERT base: 94,371,712 floats) averaged in 25 MB buckets.
    var generator = SplitMix64(seed: 1)
    let base = try EncoderModel(configuration: .hubertBase, using: &generator)
    let parameters = base.parameters
    for parameter in parameters { try parameter.setGradient(Tensor.ones(parameter.shape)) }
    let reduce = GradientAllReduce(parameters: parameters, communicator: communicator)
    var times: [Double] = []
    for _ in 0..<options.roundCount {
        var statistics = [1.0]
        try communicator.barrier()
        try reduce.averageGradients(summing: &statistics)
        times.append(reduce.lastSeconds)
    }
    let floats = parameters.reduce(0) { $0 + $1.value.count }
    if isRoot {
        let best = times.min() ?? 0
        let median = times.sorted()[times.count / 2]
        let gigabytes = Double(floats * 4) / 1e9
        print()
        print("| gradient | floats | ranks | all-reduce best | median | algorithm bandwidth |")
        print("|---|---:|---:|---:|---:|---:|")
        print(
            "| HuBERT base | \(floats) | \(communicator.size) | \(Report.format(best * 1000, digits: 0)) ms | "
                + "\(Report.format(median * 1000, digits: 0)) ms | "
                + (best > 0 ? "\(Report.format(gigabytes / best, digits: 2)) GB/s" : "–") + " |")
    }

    if isRoot { print() }
    try communicator.barrier()
    (communicator as? MPICommunicator)?.finalize()
}

/// Crop batches of synthetic music for the scaling benchmark: row r of batch i is a clip
/// seeded by (i, r), so ranks holding different rows see what one process holding all sees.
final class SyntheticCropBatches: PretrainingBatchSource {
    let rows: Range<Int>
    let globalRowCount: Int
    let seconds: Double

    init(rows: Range<Int>, globalRowCount: Int, seconds: Double) {
        self.rows = rows
        self.globalRowCount = globalRowCount
        self.seconds = seconds
    }

    func batch(at index: Int) throws -> PretrainingBatch {
        let clips = rows.map { SyntheticMusic.clip(seconds: seconds, seed: UInt64(index * globalRowCount + $0)) }
        let length = clips.map(\.count).min() ?? 0
        let waveforms = try Tensor(shape: [clips.count, length], scalars: clips.flatMap { $0.prefix(length) })
        return PretrainingBatch(
            waveforms: waveforms, sampleRate: 16_000,
            sources: rows.map { PretrainingBatch.ClipSource(path: "clip-\(index)-\($0)", startSeconds: 0) },
            shard: BatchShard(rows: rows, globalRowCount: globalRowCount))
    }
}

/// K-means-like labels for the scaling benchmark's clips: 100 Hz, K = 500, a fixed pseudo-random
/// sequence per clip (what matters is the work of the classifier head, not what it learns).
struct SyntheticFrameLabels: FrameLabelSource {
    let labelRate = 100.0
    let clusterCount = 500

    func labels(forPath path: String) throws -> [Int] {
        var generator = SplitMix64(seed: UInt64(truncatingIfNeeded: path.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }))
        return (0..<600).map { _ in Int(generator.next() % UInt64(clusterCount)) }
    }
}
