import Foundation
import MusicSSLCore
import MusicSSLTrain

/// fairseq's k-means (mini-batch, K = 500, batch 10 000, max_iter 100, n_init 20,
/// max_no_improvement 100) on one 200 000 × 39 MFCC matrix, MusicSSL against scikit-learn's
/// `MiniBatchKMeans` (`Benchmarks/reference_kmeans.py`), round by round with the same seed
/// index on both sides. Final inertia is computed for both sides' centroids by the same code on
/// the whole matrix.
enum KMeansBenchmark {
    static let rowCount = 200_000
    static let clusterCount = 500
    static let clipSeconds = 10.0
    /// The matrix is cached here between runs (31 MB); never committed.
    static let matrixURL = URL(fileURLWithPath: "/tmp/msl-bench-kmeans-mfcc39-200000.npy")

    /// MFCC-39 rows of synthetic music clips (``SyntheticMusic``, seeds 0, 1, 2, …), the first
    /// 200 000 frames; read from ``matrixURL`` when a file of that shape is there.
    static func featureMatrix() throws -> Tensor {
        if let cached = try? NumPyArray(contentsOf: matrixURL), cached.shape == [rowCount, 39] {
            return cached.tensor()
        }
        let mfcc = try KaldiMFCC(.kaldi39)
        var rows: [Float] = []
        rows.reserveCapacity(rowCount * 39)
        var seed: UInt64 = 0
        while rows.count < rowCount * 39 {
            let clip = SyntheticMusic.clip(seconds: clipSeconds, seed: seed)
            rows += try mfcc(clip, sampleRate: SyntheticMusic.sampleRate).scalars
            seed += 1
        }
        let matrix = try Tensor(shape: [rowCount, 39], scalars: Array(rows.prefix(rowCount * 39)))
        try NumPyWriter.write(matrix, to: matrixURL)
        return matrix
    }
}

/// One fit's figures.
struct KMeansRun {
    var seconds: Double
    var seedingSeconds: Double?
    var steps: Int
    /// Σ‖x − c‖² / N on the whole matrix, by ``KMeansModel/inertia(of:)``.
    var meanInertia: Double
    /// The fit's own estimate (smoothed batch inertia), per row.
    var estimatedMeanInertia: Double
}

/// What `reference_kmeans.py` prints.
private struct ReferenceKMeansReply: Decodable {
    let seconds: Double
    let steps: Int
    let inertiaEstimate: Double
    let sklearn: String
    let threads: Int

    enum CodingKeys: String, CodingKey {
        case seconds, steps, sklearn, threads
        case inertiaEstimate = "inertia_estimate"
    }
}

/// Runs both sides `options.roundCount` times, alternating, and prints the table.
func compareKMeans(_ options: BenchmarkOptions) throws {
    Parallelism.threadCount = options.threadCount
    let matrix = try KMeansBenchmark.featureMatrix()
    let configuration = MiniBatchKMeansConfiguration(clusterCount: KMeansBenchmark.clusterCount)
    var notes: [String] = []
    var script: String?
    if options.python != nil {
        script = try referenceScriptPath("reference_kmeans.py")
    } else {
        notes.append(
            "scikit-learn column skipped: set MSL_BENCH_PYTHON to a Python with scikit-learn.")
    }
    var ours: [KMeansRun] = [], theirs: [KMeansRun] = []
    var sklearnLabel = "scikit-learn"
    for round in 0..<options.roundCount {
        var generator = SplitMix64(seed: UInt64(round))
        var seedingEnd: Double?
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try MiniBatchKMeans(configuration).fit(matrix, using: &generator) { progress in
            if case .iteration(1, _, _) = progress, seedingEnd == nil {
                seedingEnd = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        let model = try KMeansModel(centroids: result.centroids)
        ours.append(
            KMeansRun(
                seconds: seconds, seedingSeconds: seedingEnd, steps: result.iterationCount,
                meanInertia: try model.inertia(of: matrix) / Double(KMeansBenchmark.rowCount),
                estimatedMeanInertia: result.inertia / Double(KMeansBenchmark.rowCount)))
        FileHandle.standardError.write(
            Data("round \(round + 1): MusicSSL \(Report.format(seconds, digits: 1)) s\n".utf8))
        settle()
        if let python = options.python, let script {
            let (run, label) = try runReferenceKMeans(
                python: python, script: script, seed: round, threads: options.threadCount)
            theirs.append(run)
            sklearnLabel = label
            FileHandle.standardError.write(
                Data(
                    "round \(round + 1): \(label) \(Report.format(run.seconds, digits: 1)) s\n".utf8
                ))
            settle()
        }
    }
    print("## k-means: fairseq's MiniBatchKMeans, 200 000 × 39 MFCC, K = 500\n")
    print(
        "MFCC-39 of \(Int(KMeansBenchmark.clipSeconds)) s synthetic music clips (melody, chords, drums); "
            + "k-means++, batch 10 000, max_iter 100, n_init 20, max_no_improvement 100, tol 0, "
            + "reassignment_ratio 0; \(options.roundCount) rounds, seed = round on both sides, "
            + "\(options.threadCount) threads. Inertia: Σ‖x − c‖² / N over the whole matrix, the same code for both.\n"
    )
    print(Report.kMeansTable(ours: ours, theirs: theirs, theirLabel: sklearnLabel))
    for note in notes { print("\n" + note) }
    print()
}

/// Runs `reference_kmeans.py` once and computes its centroids' inertia here.
private func runReferenceKMeans(
    python: String, script: String, seed: Int, threads: Int
) throws -> (KMeansRun, String) {
    let centroidsURL = URL(
        fileURLWithPath: "/tmp/msl-bench-kmeans-sklearn-centroids-\(getpid()).npy")
    defer { try? FileManager.default.removeItem(at: centroidsURL) }
    let reply = try runReferenceScript(
        python: python, script: script,
        arguments: [
            "--data", KMeansBenchmark.matrixURL.path, "--clusters", String(KMeansBenchmark.clusterCount),
            "--seed", String(seed), "--centroids-out", centroidsURL.path,
        ],
        environment: ["OMP_NUM_THREADS": String(threads), "OPENBLAS_NUM_THREADS": String(threads)],
        as: ReferenceKMeansReply.self)
    let centroids = try NumPyArray(contentsOf: centroidsURL).tensor()
    let matrix = try NumPyArray(contentsOf: KMeansBenchmark.matrixURL).tensor()
    let inertia = try KMeansModel(centroids: centroids).inertia(of: matrix)
    return (
        KMeansRun(
            seconds: reply.seconds, seedingSeconds: nil, steps: reply.steps,
            meanInertia: inertia / Double(KMeansBenchmark.rowCount),
            estimatedMeanInertia: reply.inertiaEstimate),
        "scikit-learn \(reply.sklearn) (\(reply.threads) OpenMP threads)"
    )
}

extension Report {
    /// Per-round figures and a summary row per side.
    static func kMeansTable(ours: [KMeansRun], theirs: [KMeansRun], theirLabel: String) -> String {
        var lines = [
            "| round | MusicSSL s | of which seeding s | steps | inertia / frame | \(theirLabel) s | steps | inertia / frame |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for (index, mine) in ours.enumerated() {
            let reference = index < theirs.count ? theirs[index] : nil
            var cells: [String] = ["\(index + 1)", format(mine.seconds, digits: 1)]
            cells.append(mine.seedingSeconds.map { format($0, digits: 1) } ?? "–")
            cells.append(String(mine.steps))
            cells.append(format(mine.meanInertia, digits: 3))
            if let reference {
                cells.append(format(reference.seconds, digits: 1))
                cells.append(String(reference.steps))
                cells.append(format(reference.meanInertia, digits: 3))
            } else {
                cells += ["–", "–", "–"]
            }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        let mine = Summary(ours.map(\.seconds))
        let mineInertia = ours.map(\.meanInertia).reduce(0, +) / Double(max(ours.count, 1))
        var summary =
            "\nMusicSSL: median \(format(mine.median, digits: 1)) s (best \(format(mine.best, digits: 1)) s), mean inertia / frame \(format(mineInertia, digits: 3))."
        if !theirs.isEmpty {
            let reference = Summary(theirs.map(\.seconds))
            let referenceInertia = theirs.map(\.meanInertia).reduce(0, +) / Double(theirs.count)
            summary +=
                " \(theirLabel): median \(format(reference.median, digits: 1)) s (best \(format(reference.best, digits: 1)) s), mean inertia / frame \(format(referenceInertia, digits: 3))."
            summary +=
                " **Speed-up \(format(reference.median / mine.median, digits: 1))× (median), inertia ratio MusicSSL / scikit-learn \(format(mineInertia / referenceInertia, digits: 4)).**"
        }
        return lines.joined(separator: "\n") + "\n" + summary
    }
}
