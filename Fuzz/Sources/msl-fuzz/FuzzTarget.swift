import Foundation

/// A fuzz target: a name (the value of MSL_FUZZ_TARGET) and the function fed each input.
struct FuzzTarget {
    let name: String
    let summary: String
    let body: (UnsafeBufferPointer<UInt8>) throws -> Void

    func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        // Malformed input is expected to throw; only crashes, leaks, hangs and huge
        // allocations are findings.
        do {
            try body(bytes)
        } catch {
            if Self.verbose { FileHandle.standardError.write(Data("msl-fuzz: \(error)\n".utf8)) }
        }
    }

    /// MSL_FUZZ_VERBOSE=1 prints each input's thrown error (to check seeds or a reproducer).
    static let verbose = ProcessInfo.processInfo.environment["MSL_FUZZ_VERBOSE"] == "1"

    static let all: [FuzzTarget] = [
        FuzzTarget(
            name: "safetensors", summary: "SafeTensorsFile(contentsOf:) + allTensors()",
            body: fuzzSafeTensors),
        FuzzTarget(
            name: "npy", summary: "NumPyArray(contentsOf:) + tensor() + int64Values()",
            body: fuzzNumPy),
        FuzzTarget(
            name: "torch",
            summary: "TorchCheckpoint: a zip .pt as is, anything else as data.pkl of a built zip",
            body: fuzzTorch),
        FuzzTarget(
            name: "hf-config", summary: "EncoderConfiguration(huggingFaceConfig: Data)",
            body: fuzzHuggingFaceConfig),
        FuzzTarget(
            name: "yaml", summary: "ConfigurationLoader.load(yaml:source:)", body: fuzzYAML),
        FuzzTarget(
            name: "manifest", summary: "CorpusManifest(contentsOf:) (fairseq .tsv)",
            body: fuzzManifest),
        FuzzTarget(
            name: "km",
            summary: "ClusterLabels(contentsOf:): NUL-separated dict.km.txt, train.tsv, train.km, train.km.json",
            body: fuzzClusterLabels),
        FuzzTarget(
            name: "csv",
            summary: "CSVTask.load: one manifest, or NUL-separated train/valid/test manifests",
            body: fuzzCSVTask),
        FuzzTarget(
            name: "audio",
            summary: "AudioFileReader/AudioDecoder, Resampler + SincResampler to 16 kHz, RandomCropSampler",
            body: fuzzAudio),
    ]

    /// The target MSL_FUZZ_TARGET names; exits 2 with the list when it names none.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["MSL_FUZZ_TARGET"] ?? ""
        if let target = all.first(where: { $0.name == name }) { return target }
        var message =
            name.isEmpty
            ? "msl-fuzz: set MSL_FUZZ_TARGET to one of:\n"
            : "msl-fuzz: unknown MSL_FUZZ_TARGET '\(name)'; one of:\n"
        for target in all {
            message += "  \(target.name.padding(toLength: 12, withPad: " ", startingAt: 0))\(target.summary)\n"
        }
        FileHandle.standardError.write(Data(message.utf8))
        exit(2)
    }()
}
