import Foundation

/// What went wrong in a benchmark run.
enum BenchmarkError: Error, CustomStringConvertible {
    case invalidArgument(String)
    case pythonNotStarted(String)
    case referenceExited

    var description: String {
        switch self {
        case .invalidArgument(let message): message
        case .pythonNotStarted(let python): "cannot run \(python)"
        case .referenceExited:
            "the reference script exited before answering (are torch and torchaudio installed?)"
        }
    }
}

/// Which measurements `msl-bench` runs.
enum BenchmarkSuite: String, CaseIterable {
    /// Everything below.
    case all
    /// The sgemm peak and one Transformer layer against PyTorch.
    case layer
    /// Kaldi MFCC-39 throughput against torchaudio.
    case mfcc
    /// Whole encoders (base and tiny) against transformers' HubertModel.
    case encoder
    /// The resampler and the CQT on 60 s of audio (MusicSSL only; not part of `all`).
    case dsp
    /// fairseq's mini-batch k-means (K = 500) on 200 000 × 39 MFCC against scikit-learn (not
    /// part of `all`).
    case kmeans
    /// The DBN beat decoder on 30 s of activations at 50 and 100 fps against madmom (not part
    /// of `all`).
    case dbn
    /// Feature extraction for probing (MARBLE's protocol, base and tiny) against torchaudio +
    /// transformers (not part of `all`).
    case extract
    /// MARBLE's probe sweep (84 runs) on a synthetic 1,000-item, 13 × 768 task against the same
    /// protocol in PyTorch (not part of `all`).
    case probe
    /// Data-parallel scaling under mpirun: the base model's gradient all-reduce and Music2vec
    /// updates per second (not part of `all`).
    case scaling
}

/// Command-line options of `msl-bench`.
struct BenchmarkOptions {
    /// The measurements to run (first argument; `all` when absent).
    var suite = BenchmarkSuite.all
    /// Rounds of the layer benchmark; each runs MusicSSL, then each PyTorch variant.
    var roundCount = 5
    /// Forward passes and forward+backward passes per side and round.
    var iterationsPerRound = 2
    /// Timed repeats of each GEMM at each thread count.
    var gemmRepeats = 10
    /// Threads for the layer benchmark (BLAS, MusicSSL's kernels and torch alike).
    var threadCount = 2
    /// Clips per training step in the encoder suite.
    var trainingBatch = 8
    /// Encoders the encoder suite runs: "base", "tiny" or both.
    var encoderNames = ["base", "tiny"]
    /// Python with torch for the reference column; from `MSL_BENCH_PYTHON`.
    var python: String?

    static let usage = """
        usage: msl-bench [all|layer|mfcc|encoder|dsp|kmeans|dbn|extract|probe|scaling] [--rounds N]
                         [--iterations N]
                         [--gemm-repeats N] [--threads N] [--train-batch N]
                         [--model base|tiny]

        layer: the cblas_sgemm peak and one HuBERT-base Transformer layer (forward and
        forward+backward on [8, 250, 768]); mfcc: HuBERT's 39-dim Kaldi MFCC labels on 60 s of
        16 kHz audio; encoder: HuBERT-base and the tiny encoder on 5 s clips at 16 kHz (inference at
        batch 1 and 8, one training step at --train-batch, default 8) against transformers'
        HubertModel (--model runs only one of them); kmeans: fairseq's MiniBatchKMeans (K 500)
        on a 200 000 × 39 MFCC matrix against scikit-learn, --rounds fits per side; dbn: the DBN
        beat decoder on 30 s of activations at 50 and 100 fps, --rounds × --iterations decodes
        per side, against madmom when MSL_BENCH_MADMOM_PYTHON names a Python with madmom; extract:
        MARBLE's feature extraction (30-s files at 22,050 Hz, 2 × --iterations files per round,
        --rounds rounds) with the base and tiny encoders against torchaudio + transformers; probe:
        MARBLE's probe sweep (6 learning rates × 14 layer selections) on a synthetic 1,000-item,
        13 × 768 task, --rounds sweeps per side (use --rounds 1: one sweep takes minutes); scaling
        (run it under `mpirun -np 1` and `mpirun -np 2`): the all-reduce of HuBERT base's
        gradients (--rounds times) and --iterations Music2vec updates of --train-batch 5-s clips
        per rank through the trainer (--model base|tiny), --threads shared among the host's
        ranks; all (the
        default): layer and mfcc. When MSL_BENCH_PYTHON names a Python with torch
        (and torchaudio for mfcc), the same work runs there too, interleaved in the same run.
        Prints Markdown.
        """

    /// Parses `arguments` (without the program name) and the environment.
    init(arguments: [String], environment: [String: String]) throws {
        var remaining = arguments[...]
        if let first = remaining.first, let suite = BenchmarkSuite(rawValue: first) {
            self.suite = suite
            remaining = remaining.dropFirst()
        }
        while let flag = remaining.popFirst() {
            if flag == "--help" || flag == "-h" {
                print(Self.usage)
                exit(0)
            }
            if flag == "--model" {
                guard let name = remaining.popFirst(), ["base", "tiny"].contains(name) else {
                    throw BenchmarkError.invalidArgument("--model needs base or tiny\n\(Self.usage)")
                }
                encoderNames = [name]
                continue
            }
            guard let text = remaining.popFirst(), let value = Int(text), value > 0 else {
                throw BenchmarkError.invalidArgument(
                    "\(flag) needs a positive integer\n\(Self.usage)")
            }
            switch flag {
            case "--rounds": roundCount = value
            case "--iterations": iterationsPerRound = value
            case "--gemm-repeats": gemmRepeats = value
            case "--threads": threadCount = value
            case "--train-batch": trainingBatch = value
            default: throw BenchmarkError.invalidArgument("unknown option \(flag)\n\(Self.usage)")
            }
        }
        if let python = environment["MSL_BENCH_PYTHON"], !python.isEmpty { self.python = python }
    }
}
