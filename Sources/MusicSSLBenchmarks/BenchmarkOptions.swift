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
        case .referenceExited: "reference_layer.py exited before answering (is torch installed?)"
        }
    }
}

/// Command-line options of `msl-bench`.
struct BenchmarkOptions {
    /// Rounds of the layer benchmark; each runs MusicSSL, then each PyTorch variant.
    var roundCount = 5
    /// Forward passes and forward+backward passes per side and round.
    var iterationsPerRound = 2
    /// Timed repeats of each GEMM at each thread count.
    var gemmRepeats = 10
    /// Threads for the layer benchmark (BLAS, MusicSSL's kernels and torch alike).
    var threadCount = 2
    /// Python with torch for the reference column; from `MSL_BENCH_PYTHON`.
    var python: String?

    static let usage = """
        usage: msl-bench [--rounds N] [--iterations N] [--gemm-repeats N] [--threads N]

        Measures the cblas_sgemm peak, one HuBERT-base Transformer layer (forward and
        forward+backward on [8, 250, 768]) and, when MSL_BENCH_PYTHON names a Python with
        torch, the same layer in PyTorch, interleaved in the same run. Prints Markdown.
        """

    /// Parses `arguments` (without the program name) and the environment.
    init(arguments: [String], environment: [String: String]) throws {
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            if flag == "--help" || flag == "-h" {
                print(Self.usage)
                exit(0)
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
            default: throw BenchmarkError.invalidArgument("unknown option \(flag)\n\(Self.usage)")
            }
        }
        if let python = environment["MSL_BENCH_PYTHON"], !python.isEmpty { self.python = python }
    }
}
