import ArgumentParser
import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

@testable import msl

/// `msl probe` and `msl benchmark` end to end: a checkpoint trained with `msl pretrain` and an
/// imported HuggingFace directory, probed on a GTZAN-layout data set and a CSV task, the report
/// folder, resuming, and the errors a user meets.
@Suite("msl probe and msl benchmark")
struct ProbeCommandTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// A 1.5-s, 22,050-Hz tone whose pitch depends on `index`.
    func writeTone(_ url: URL, index: Int) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let rate = 22_050
        let frequency = 180 + 60 * Double(index)
        let samples = (0..<(3 * rate / 2)).map { Float(0.3 * sin(2 * .pi * frequency * Double($0) / Double(rate))) }
        try AudioEncoder.write(samples, sampleRate: rate, format: .wavPCM16, to: url)
    }

    /// `<root>/GTZAN` in the distributed layout: genres/<genre>/… and the three fault-filtered
    /// lists, two genres, two items per split.
    func writeGTZAN(under root: URL) throws {
        let gtzan = root.appendingPathComponent("GTZAN")
        let lists = [
            "train": ["blues/blues.00000.wav", "rock/rock.00000.wav"],
            "valid": ["blues/blues.00001.wav", "rock/rock.00001.wav"],
            "test": ["blues/blues.00002.wav", "rock/rock.00002.wav"],
        ]
        try FileManager.default.createDirectory(at: gtzan, withIntermediateDirectories: true)
        for (split, paths) in lists {
            try (paths.joined(separator: "\n") + "\n").write(
                to: gtzan.appendingPathComponent("\(split)_filtered.txt"), atomically: true, encoding: .utf8)
            for (index, path) in paths.enumerated() {
                try writeTone(gtzan.appendingPathComponent("genres/\(path)"), index: index)
            }
        }
    }

    /// A CSV task of one's own: `manifest.csv` with a split column and six tones.
    func writeCSVTask() throws -> URL {
        let folder = directory.file("mine")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var lines = ["path,label,split"]
        for (index, split) in ["train", "train", "valid", "valid", "test", "test"].enumerated() {
            try writeTone(folder.appendingPathComponent("audio/\(index).wav"), index: index % 2)
            lines.append("audio/\(index).wav,\(index % 2 == 0 ? "low" : "high"),\(split)")
        }
        let manifest = folder.appendingPathComponent("manifest.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: manifest, atomically: true, encoding: .utf8)
        return manifest
    }

    /// A tiny encoder written as a HuggingFace directory (an imported checkpoint).
    func writeHuggingFaceCheckpoint() throws -> URL {
        var generator = SplitMix64(seed: 5)
        var configuration = EncoderConfiguration.tiny
        configuration.layerCount = 2
        configuration.modelDimensions = 32
        configuration.headCount = 2
        configuration.feedForwardDimensions = 64
        configuration.convolutionLayers = ConvolutionLayerShape.wav2vec2(channels: 16)
        let model = try EncoderModel(configuration: configuration, using: &generator)
        let url = directory.file("hf-tiny")
        try EncoderCheckpoint.exportHuggingFace(model, to: url)
        return url
    }

    /// A checkpoint trained by `msl pretrain` (Music2vec, 2 updates): its encoder.safetensors.
    func trainCheckpoint() throws -> URL {
        let corpus = directory.file("corpus")
        for index in 0..<3 { try writeTone(corpus.appendingPathComponent("c\(index).wav"), index: index) }
        let configuration = directory.file("music2vec.yaml")
        try """
        objective: music2vec
        model: {architecture: tiny, layers: 2, dimensions: 32, heads: 2, convolution_channels: 16}
        data: {crop_seconds: 0.5, batch_size: 2, prefetch_batches: 1}
        data2vec: {target_layers: 2, ema_anneal_steps: 2}
        optimization: {steps: 2, learning_rate: 0.0005, warmup_steps: 1}
        run: {seed: 3, checkpoint_every: 2, keep_checkpoints: 1, log_every: 1}
        """.write(to: configuration, atomically: true, encoding: .utf8)
        let run = directory.file("runs/music2vec-tiny")
        try Pretrain.parse(["--config", configuration.path, "--corpus", corpus.path, "--out", run.path]).run()
        return run.appendingPathComponent("encoder.safetensors")
    }

    /// Every file below `folders` of `root`, with its inode and modification date.
    func fileIdentities(under root: URL, in folders: [String]) throws -> [String: String] {
        var identities: [String: String] = [:]
        for folder in folders {
            let base = root.appendingPathComponent(folder)
            for path in try FileManager.default.subpathsOfDirectory(atPath: base.path) {
                let attributes = try FileManager.default.attributesOfItem(atPath: base.appendingPathComponent(path).path)
                guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
                identities["\(folder)/\(path)"] =
                    "\(attributes[.systemFileNumber] ?? "?") \(attributes[.modificationDate] ?? "?")"
            }
        }
        return identities
    }

    static let grid = ["--learning-rates", "1e-3,1e-2", "--layers", "all,1", "--max-epochs", "2", "--batch-size", "2"]

    @Test("benchmark: a home-trained and an imported checkpoint on GTZAN and a CSV task give the table, grid and plots, and resume")
    func benchmark() throws {
        let trained = try trainCheckpoint()
        let imported = try writeHuggingFaceCheckpoint()
        let dataRoot = directory.file("data")
        try writeGTZAN(under: dataRoot)
        let manifest = try writeCSVTask()
        let output = directory.file("report")
        let arguments = [
            "--checkpoints", trained.path, imported.path, "--tasks", "gtzan-genre", "--data-root", dataRoot.path,
            "--csv", "mine=\(manifest.path)", "-o", output.path,
        ] + Self.grid
        try Benchmark.parse(arguments).run()

        let table = try String(contentsOf: output.appendingPathComponent("table.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(table.first == "model,GTZAN,mine,average")
        #expect(table.count == 3)
        #expect(table[1].hasPrefix("music2vec-tiny,") && table[2].hasPrefix("hf-tiny,"))
        let grid = try String(contentsOf: output.appendingPathComponent("grid.csv"), encoding: .utf8)
        #expect(grid.split(separator: "\n").count == 1 + 2 * 2 * 4)
        for file in ["report.md", "plots/gtzan-genre.svg", "plots/mine.svg", "plots/gtzan-genre-layer-weights.svg"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "\(file)")
        }
        // Resuming: the same command extracts and trains nothing again (every cache and run file
        // keeps its inode and date: atomic writes would replace them), and the grid is the same.
        let before = try fileIdentities(under: output, in: ["cache", "runs"])
        #expect(before.count == 2 * 2 * 4 + 2 * (6 + 6))  // runs; cached items (GTZAN 6, CSV 6)
        try Benchmark.parse(arguments).run()
        #expect(try String(contentsOf: output.appendingPathComponent("grid.csv"), encoding: .utf8) == grid)
        #expect(try fileIdentities(under: output, in: ["cache", "runs"]) == before)
    }

    @Test("benchmark: the random-init and MFCC baselines get their own rows; MFCC is swept over learning rates only")
    func baselines() throws {
        let imported = try writeHuggingFaceCheckpoint()
        let manifest = try writeCSVTask()
        let output = directory.file("baselines")
        try Benchmark.parse([
            "--checkpoints", imported.path, "--random-baseline", "--mfcc-baseline",
            "--csv", "mine=\(manifest.path)", "-o", output.path,
            "--learning-rates", "1e-3,1e-2", "--max-epochs", "2", "--batch-size", "2",
        ]).run()
        let table = try String(contentsOf: output.appendingPathComponent("table.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(table.map { $0.split(separator: ",").first.map(String.init) ?? "" }
            == ["model", "hf-tiny", "random init", "MFCC"])
        let grid = try String(contentsOf: output.appendingPathComponent("grid.csv"), encoding: .utf8)
            .split(separator: "\n")
        // hf-tiny and random init: 2 rates × (all + layers 0…2); MFCC: 2 rates × layer 0.
        #expect(grid.count == 1 + 2 * 2 * 4 + 2)
        #expect(grid.filter { $0.hasPrefix("MFCC,") }.count == 2)
        // The untrained copy is not the imported model: its features differ.
        let caches = try FileManager.default.contentsOfDirectory(
            atPath: output.appendingPathComponent("cache").path)
        #expect(caches.count == 2)
        #expect(throws: (any Error).self) {
            try Benchmark.parse(["--random-baseline", "--csv", "x=y.csv", "-o", "o"])
        }
    }

    @Test("probe: one named task on an imported checkpoint writes the report")
    func probe() throws {
        let imported = try writeHuggingFaceCheckpoint()
        let dataRoot = directory.file("data")
        try writeGTZAN(under: dataRoot)
        let output = directory.file("probe")
        try Probe.parse(
            ["--task", "gtzan-genre", "--data", dataRoot.appendingPathComponent("GTZAN").path, "--checkpoint",
             imported.path, "-o", output.path] + Self.grid
        ).run()
        let markdown = try String(contentsOf: output.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("| Model | GTZAN | Avg. |"))
        #expect(markdown.contains("| hf-tiny |"))
    }

    @Test("bad requests are refused with what to do; a missing data file is named")
    func errors() throws {
        #expect(throws: (any Error).self) { try Probe.parse(["--checkpoint", "c"]) }
        #expect(throws: (any Error).self) { try Probe.parse(["--task", "gtzan-genre", "--checkpoint", "c"]) }
        #expect(throws: (any Error).self) { try Probe.parse(["--manifest", "m.csv", "--valid-manifest", "v.csv", "--checkpoint", "c"]) }
        #expect(throws: (any Error).self) { try Probe.parse(["--task", "x", "--data", "d", "--checkpoint", "c", "--layers", "all,-1"]) }
        #expect(throws: (any Error).self) { try Benchmark.parse(["--checkpoints", "a", "-o", "o"]) }
        #expect(throws: (any Error).self) { try Benchmark.parse(["--checkpoints", "a", "b", "--names", "x", "--data-root", "d", "-o", "o"]) }
        #expect(throws: (any Error).self) {
            try Benchmark.parse(["--checkpoints", "a/encoder.safetensors", "b/a.bin", "--csv", "x=y.csv", "-o", "o"])
        }
        do {
            try Probe.parse(["--task", "gtzan-gnre", "--data", "d", "--checkpoint", "c"]).run()
            Issue.record("an unknown task ran")
        } catch {
            #expect("\(error)".contains("gtzan-genre"))
        }
        let dataRoot = directory.file("data")
        try writeGTZAN(under: dataRoot)
        try FileManager.default.removeItem(at: dataRoot.appendingPathComponent("GTZAN/test_filtered.txt"))
        do {
            try Probe.parse(
                ["--task", "gtzan-genre", "--data", dataRoot.appendingPathComponent("GTZAN").path, "--checkpoint", "c"]
            ).run()
            Issue.record("a data set without its test list ran")
        } catch {
            #expect("\(error)".contains("test_filtered.txt"))
        }
    }
}
