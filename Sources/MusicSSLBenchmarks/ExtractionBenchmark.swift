import Foundation
import MusicSSLCore
import MusicSSLProbe

/// Feature extraction for probing, MARBLE's protocol end to end (decode, resample, normalise,
/// 30-s windows, every hidden state mean-pooled, one file per item): MusicSSL's
/// ``FeatureCacheBuilder`` against `Benchmarks/reference_extract.py` (torchaudio + transformers)
/// on the same 30-s files at 22,050 Hz, round by round; then a second build over the warm cache.
enum ExtractionBenchmark {
    static let clipSeconds = 30.0
    static let fileRate = 22_050

    /// Writes `count` 30-s synthetic music files at 22,050 Hz (GTZAN's rate) into `directory`.
    static func writeFiles(count: Int, into directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let resampler = Resampler()
        return try (0..<count).map { index in
            let clip = SyntheticMusic.clip(seconds: clipSeconds, seed: 500 + UInt64(index))
            let samples = try resampler.resample(
                clip, from: SyntheticMusic.sampleRate, to: fileRate)
            let url = directory.appendingPathComponent("clip\(index).wav")
            try AudioEncoder.write(samples, sampleRate: fileRate, format: .wavPCM16, to: url)
            return url
        }
    }
}

/// What `reference_extract.py` prints.
private struct ReferenceExtractReply: Decodable {
    let torch: String
    let transformers: String
    let seconds: Double
    let files: Int
    let shapes: [[Int]]
}

/// Times extraction on both sides for each encoder and prints the table.
func compareExtraction(_ options: BenchmarkOptions) throws {
    let fileCount = options.iterationsPerRound * 2
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
        "msl-bench-extract-\(getpid())")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let files = try ExtractionBenchmark.writeFiles(
        count: fileCount, into: scratch.appendingPathComponent("audio"))
    let items = files.map { FeatureCacheBuilder.Item(id: $0.lastPathComponent, url: $0) }
    print("## Feature extraction for probing (MARBLE protocol)\n")
    print(
        "\(fileCount) files of 30 s at 22,050 Hz per round, \(options.roundCount) rounds per side, interleaved; "
            + "decode, resample to 16 kHz, whole-file z-normalisation, one 30-s window each, every hidden state "
            + "mean-pooled, one file per item. MusicSSL: `FeatureCacheBuilder` into an empty cache; "
            + "reference: `Benchmarks/reference_extract.py` (soundfile, torchaudio resample, transformers "
            + "HubertModel, `np.save`), its model build and one warm-up file not timed.\n")
    var rows: [String] = []
    var notes: [String] = []
    for name in options.encoderNames {
        let configuration: EncoderConfiguration = name == "base" ? .hubertBase : .tiny
        var generator = SplitMix64(seed: 7)
        let model = try EncoderModel(configuration: configuration, using: &generator)
        var ours: [Double] = [], warm: [Double] = [], theirs: [Double] = []
        var versions = ""
        // One untimed build first, as the reference's warm-up.
        _ = try FeatureCacheBuilder(
            model: model, directory: scratch.appendingPathComponent("warmup")
        )
        .build(Array(items.prefix(1)))
        for round in 0..<options.roundCount {
            let cache = scratch.appendingPathComponent("cache-\(name)-\(round)")
            let builder = try FeatureCacheBuilder(model: model, directory: cache)
            settle()
            ours.append(try secondsTaken { _ = try builder.build(items) })
            warm.append(try secondsTaken { _ = try builder.build(items) })
            if let python = options.python {
                settle()
                do {
                    let reply = try runReferenceExtraction(
                        python: python, configuration: name, threads: options.threadCount,
                        files: files,
                        output: scratch.appendingPathComponent("reference-\(name)-\(round)"))
                    theirs.append(reply.seconds)
                    versions = "torch \(reply.torch), transformers \(reply.transformers)"
                } catch {
                    notes.append("reference skipped for \(name): \(error)")
                }
            }
        }
        let perClip = Summary(ours).median / Double(fileCount)
        let reference = theirs.isEmpty ? nil : Summary(theirs).median / Double(fileCount)
        rows.append(
            "| \(name) | \(Report.format(perClip, digits: 3)) | \(Report.format(ExtractionBenchmark.clipSeconds / perClip, digits: 0))× | "
                + (reference.map { Report.format($0, digits: 3) } ?? "–") + " | "
                + (reference.map { Report.format($0 / perClip, digits: 2) + "×" } ?? "–") + " | "
                + Report.format(Summary(warm).median * 1000, digits: 1) + " ms |")
        if !versions.isEmpty { notes.append("reference for \(name): \(versions)") }
    }
    print(
        "| encoder | MusicSSL s per 30-s clip (median) | × real time | reference s per clip | MusicSSL speed-up | warm cache, all \(fileCount) items |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows { print(row) }
    if options.python == nil {
        notes.append(
            "reference skipped: set MSL_BENCH_PYTHON to a Python with torch, torchaudio, transformers, soundfile"
        )
    }
    for note in Array(Set(notes)).sorted() { print("\n" + note) }
}

private func runReferenceExtraction(
    python: String, configuration: String, threads: Int, files: [URL], output: URL
) throws -> ReferenceExtractReply {
    try runReferenceScript(
        python: python, script: try referenceScriptPath("reference_extract.py"),
        arguments: ["--config", configuration, "--threads", String(threads), "--out", output.path]
            + files.map(\.path),
        environment: TorchReference.tunedMalloc.merging(["OMP_NUM_THREADS": String(threads)]) { $1 },
        as: ReferenceExtractReply.self)
}
