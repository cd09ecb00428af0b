// msl-bench: the machine's sgemm peak, one HuBERT-base Transformer layer in MusicSSL, and the
// same layer in PyTorch, interleaved in one run; Kaldi MFCC throughput against torchaudio; whole
// encoders against transformers; fairseq's mini-batch k-means against scikit-learn; the DBN
// beat decoder against madmom; MARBLE's probe sweep against the same protocol in PyTorch.
// See Documentation/Benchmarks.md.

import Foundation
import MusicSSLCore

func runBenchmarks(_ options: BenchmarkOptions) throws {
    // Under mpirun every rank runs this; the scaling suite prints from rank 0 alone.
    if options.suite == .scaling {
        try measureScaling(options)
        return
    }
    let threadCounts = Array(Set([1, options.threadCount])).sorted()
    print("# msl-bench\n")
    print("- machine: \(processorDescription())")
    print("- BLAS: \(BLAS.configuration)")
    print("- threads: \(options.threadCount) (and 1 for MFCC)")
    let environment = ProcessInfo.processInfo.environment
    print("- OPENBLAS_CORETYPE: \(environment["OPENBLAS_CORETYPE"] ?? "not set")")
    let avx512 = ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(processorFlags().contains)
    if avx512 && ["haswell", "zen"].contains(BLAS.coreName.lowercased()) {
        print(
            "- note: this processor has AVX-512 but OpenBLAS runs its \(BLAS.coreName) (AVX2) "
                + "kernels; OPENBLAS_CORETYPE chooses them, unset it to let OpenBLAS pick AVX-512 ones")
    }
    print()
    if options.suite == .dsp {
        Parallelism.threadCount = options.threadCount
        try measureDSP(options)
        return
    }
    if options.suite == .dbn {
        try compareDBN(options)
        return
    }
    if options.suite == .extract {
        BLAS.threadCount = options.threadCount
        Parallelism.threadCount = options.threadCount
        try compareExtraction(options)
        return
    }
    if options.suite == .probe {
        try compareProbeSweeps(options)
        return
    }
    if options.suite == .kmeans {
        try compareKMeans(options)
        return
    }
    if options.suite == .encoder {
        BLAS.threadCount = options.threadCount
        Parallelism.threadCount = options.threadCount
        try compareEncoders(options)
        return
    }
    if options.suite != .layer {
        try compareMFCC(options)
        guard options.suite == .all else { return }
    }

    print("## cblas_sgemm, row-major, best of \(options.gemmRepeats)\n")
    let gemm = GEMMPeak(threadCounts: threadCounts, repeats: options.gemmRepeats).measure()
    print(Report.gemmTable(gemm, threadCounts: threadCounts) + "\n")
    let peak = gemm.filter { $0.threadCount == options.threadCount }.map(\.bestGFLOPs).max() ?? .nan
    print(
        "Practical peak at \(options.threadCount) threads: \(Report.format(peak, digits: 0)) GFLOP/s.\n"
    )

    BLAS.threadCount = options.threadCount
    Parallelism.threadCount = options.threadCount
    try compareLayers(options, peakGFLOPs: peak)
}

/// Runs MusicSSL's layer and, when a Python is given, PyTorch's (malloc tuned and default),
/// round by round, and prints the table.
func compareLayers(_ options: BenchmarkOptions, peakGFLOPs: Double) throws {
    var references: [TorchReference] = []
    var notes: [String] = []
    if let python = options.python {
        for tunesMalloc in [true, false] {
            do {
                references.append(
                    try TorchReference(
                        python: python, script: try referenceScriptPath(),
                        threadCount: options.threadCount, tunesMalloc: tunesMalloc))
            } catch {
                notes.append("PyTorch column skipped: \(error)")
                break
            }
        }
    } else {
        notes.append("PyTorch column skipped: set MSL_BENCH_PYTHON to a Python with torch.")
    }
    defer { for reference in references { reference.stop() } }

    ResidentMemory.resetPeak()
    let residentAtStart = ResidentMemory.currentMebibytes
    let layer = try LayerBenchmark()
    var forward: [Double] = [], forwardBackward: [Double] = []
    var torchRounds = [[TorchReference.Round]](repeating: [], count: references.count)
    for _ in 0..<options.roundCount {
        for _ in 0..<options.iterationsPerRound { forward.append(try layer.forward()) }
        for _ in 0..<options.iterationsPerRound {
            forwardBackward.append(try layer.forwardBackward())
        }
        for (index, reference) in references.enumerated() {
            settle()
            torchRounds[index].append(try reference.round(iterations: options.iterationsPerRound))
        }
        settle()
    }
    var columns = [
        Report.LayerColumn(
            label: "MusicSSL", forwardSeconds: forward, forwardBackwardSeconds: forwardBackward,
            peakResidentMebibytes: ResidentMemory.peakMebibytes,
            residentAtStartMebibytes: residentAtStart)
    ]
    for (reference, rounds) in zip(references, torchRounds) {
        columns.append(
            Report.LayerColumn(
                label: reference.label,
                forwardSeconds: rounds.flatMap(\.forwardMilliseconds).map { $0 * 1e-3 },
                forwardBackwardSeconds: rounds.flatMap(\.forwardBackwardMilliseconds).map {
                    $0 * 1e-3
                },
                peakResidentMebibytes: rounds.last?.peakResidentMebibytes,
                residentAtStartMebibytes: reference.residentAtStartMebibytes))
    }

    let gigaflops = Report.format(layer.forwardFLOPs * 1e-9, digits: 2)
    print("## One Transformer layer (post-LN, D 768, 12 heads, FFN 3072, dropout 0.1)\n")
    print(
        "\(options.roundCount) interleaved rounds × \(options.iterationsPerRound) runs per side;"
            + " GEMM FLOPs: forward \(gigaflops) G, forward + backward 3 × forward.\n")
    print(Report.layerTable(columns, forwardFLOPs: layer.forwardFLOPs, peakGFLOPs: peakGFLOPs))
    for note in notes { print("\n" + note) }
}

/// `Benchmarks/<name>`, found from the working directory or from this source file.
func referenceScriptPath(_ name: String = "reference_layer.py") throws -> String {
    let relative = "Benchmarks/\(name)"
    if FileManager.default.fileExists(atPath: relative) { return relative }
    let fromSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(relative)
        .path
    guard FileManager.default.fileExists(atPath: fromSource) else {
        throw BenchmarkError.invalidArgument(
            "cannot find \(relative); run msl-bench from the repository root")
    }
    return fromSource
}

do {
    try runBenchmarks(
        BenchmarkOptions(
            arguments: Array(CommandLine.arguments.dropFirst()),
            environment: ProcessInfo.processInfo.environment))
} catch {
    FileHandle.standardError.write(Data("msl-bench: \(error)\n".utf8))
    exit(1)
}
