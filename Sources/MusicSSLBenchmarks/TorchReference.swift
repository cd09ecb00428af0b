import Foundation

/// A reference script run with `--serve` in a child process (`Benchmarks/reference_layer.py`:
/// the same Transformer layer in PyTorch; `reference_mfcc.py`: torchaudio's MFCC;
/// `reference_encoder.py`: transformers' HubertModel), timed on
/// request so that its runs interleave with MusicSSL's.
final class TorchReference {
    /// Timings of one round, as the script reports them.
    struct Round: Decodable {
        let forwardMilliseconds: [Double]
        let forwardBackwardMilliseconds: [Double]
        let peakResidentMebibytes: Double?

        enum CodingKeys: String, CodingKey {
            case forwardMilliseconds = "forward_ms"
            case forwardBackwardMilliseconds = "forward_backward_ms"
            case peakResidentMebibytes = "peak_rss_mib"
        }
    }

    private struct Greeting: Decodable {
        let torch: String
        let torchaudio: String?
        let threads: Int
        let residentAtStartMebibytes: Double?

        enum CodingKeys: String, CodingKey {
            case torch, torchaudio, threads
            case residentAtStartMebibytes = "resident_at_start_mib"
        }
    }

    /// glibc settings that stop PyTorch returning large temporaries to the kernel after every
    /// op (shared/reference/torch-cpu-anchors.md): worth 20–35 % on this machine.
    static let tunedMalloc = [
        "MALLOC_MMAP_THRESHOLD_": "4294967296",
        "MALLOC_TRIM_THRESHOLD_": "17179869184",
        "MALLOC_TOP_PAD_": "268435456",
    ]

    /// Column heading, e.g. "PyTorch 2.15.0, malloc tuned".
    let label: String
    /// torchaudio's version, when the script uses it.
    let torchaudioVersion: String?
    /// Resident size of the script before it built the layer (Python and torch loaded), MiB.
    let residentAtStartMebibytes: Double?
    private let process: Process
    private let requests: FileHandle
    private let replies: FileHandle
    private var pending: Data

    /// Starts the script and waits until it has built its workload and run one warm-up step.
    ///
    /// - Parameters:
    ///   - python: a Python interpreter with torch.
    ///   - script: path of the reference script.
    ///   - threadCount: torch intra-op threads.
    ///   - tunesMalloc: start it with ``tunedMalloc`` in its environment (otherwise without it).
    ///   - extraArguments: further command-line arguments for the script.
    init(
        python: String, script: String, threadCount: Int, tunesMalloc: Bool,
        extraArguments: [String] = []
    ) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments =
            [script, "--serve", "--threads", String(threadCount)] + extraArguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in Self.tunedMalloc {
            environment[key] = tunesMalloc ? value : nil
        }
        environment["OMP_NUM_THREADS"] = String(threadCount)
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        requests = input.fileHandleForWriting
        replies = output.fileHandleForReading
        do { try process.run() } catch { throw BenchmarkError.pythonNotStarted(python) }
        var buffer = Data()
        let greeting = try JSONDecoder().decode(
            Greeting.self,
            from: try Self.readLine(from: output.fileHandleForReading, buffer: &buffer))
        pending = buffer
        residentAtStartMebibytes = greeting.residentAtStartMebibytes
        torchaudioVersion = greeting.torchaudio
        label = "PyTorch \(greeting.torch), \(tunesMalloc ? "malloc tuned" : "default malloc")"
    }

    /// Runs `iterations` forward passes, then `iterations` forward+backward passes.
    func round(iterations: Int) throws -> Round {
        try request("round \(iterations)", as: Round.self)
    }

    /// Sends one request line and decodes the script's one-line JSON answer.
    func request<Reply: Decodable>(_ line: String, as reply: Reply.Type) throws -> Reply {
        try requests.write(contentsOf: Data((line + "\n").utf8))
        return try JSONDecoder().decode(
            Reply.self, from: try Self.readLine(from: replies, buffer: &pending))
    }

    /// Asks the script to exit and waits for it.
    func stop() {
        try? requests.write(contentsOf: Data("quit\n".utf8))
        try? requests.close()
        process.waitUntilExit()
    }

    /// The next line the script printed, without its newline; `buffer` keeps what follows it.
    private static func readLine(from handle: FileHandle, buffer: inout Data) throws -> Data {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Data(buffer[buffer.startIndex..<newline])
                buffer = Data(buffer[(newline + 1)...])
                return line
            }
            let chunk = handle.availableData
            guard !chunk.isEmpty else { throw BenchmarkError.referenceExited }
            buffer.append(chunk)
        }
    }
}
