import Foundation
import MusicSSLTestSupport
import Testing

@testable import msl

/// `msl extract` and `msl benchmark` under `mpirun -np 2`: the ranks split the items, and every
/// file written is byte for byte the one a single process writes.
@Suite("msl extract and msl benchmark under mpirun")
struct DistributedCommandTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// A tone of `seconds` at 16 kHz whose pitch depends on `index`.
    func writeTone(_ url: URL, index: Int, seconds: Double = 1.5) throws {
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let rate = 16_000
        let frequency = 180 + 60 * Double(index)
        let samples = (0..<Int(seconds * Double(rate))).map {
            Float(0.3 * sin(2 * .pi * frequency * Double($0) / Double(rate)))
        }
        try AudioEncoder.write(samples, sampleRate: rate, format: .wavPCM16, to: url)
    }

    /// A 2-layer, 16-wide encoder saved as a MusicSSL checkpoint.
    func writeCheckpoint() throws -> URL {
        var generator = SplitMix64(seed: 5)
        let configuration = EncoderConfiguration(
            convolutionLayers: ConvolutionLayerShape.wav2vec2(channels: 8), modelDimensions: 16,
            layerCount: 2, headCount: 2, feedForwardDimensions: 32,
            positionalConvolution: .weightNormalized(kernelSize: 4, groupCount: 2))
        let url = directory.file("tiny.safetensors")
        try EncoderCheckpoint.save(
            try EncoderModel(configuration: configuration, using: &generator), to: url)
        return url
    }

    /// Every regular file under `root` (relative path) and its bytes.
    func files(under root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: root.path) {
            let url = root.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            else { continue }
            files[path] = try Data(contentsOf: url)
        }
        return files
    }

    /// Expects the same files, byte for byte, under both folders.
    func expectSameFiles(_ single: URL, _ distributed: URL, count: Int) throws {
        let expected = try files(under: single), actual = try files(under: distributed)
        #expect(expected.count == count)
        #expect(actual.keys.sorted() == expected.keys.sorted())
        let differing = expected.keys.sorted().filter { actual[$0] != expected[$0] }
        #expect(differing.isEmpty, "files differing from a single process's: \(differing)")
    }

    @Test("a command that does not share its work is refused under mpirun -np 2, and writes nothing")
    func singleProcessCommandRefused() throws {
        guard MPILaunch.mpirunOrIssue() != nil else { return }
        let output = directory.file("suite"), log = directory.file("synth.log")
        let status = try MPILaunch.run(
            ranks: 2, binary: try MPILaunch.requireMSLBinary(), arguments: ["synth", "-o", output.path, "--quick"], log: log)
        #expect(status != 0)
        #expect(MPILaunch.text(of: log).contains("`msl synth` runs in one process"), "\(MPILaunch.text(of: log))")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test(
        "extract: 2 ranks write every input's array byte for byte as one process, sum the counts and fail alike"
    )
    func extract() throws {
        guard MPILaunch.mpirunOrIssue() != nil else { return }
        let binary = try MPILaunch.requireMSLBinary()
        let checkpoint = try writeCheckpoint()
        let audio = directory.file("audio")
        for index in 0..<5 {
            try writeTone(
                audio.appendingPathComponent("tone\(index).wav"), index: index,
                seconds: 1 + 0.4 * Double(index))
        }
        // Named on its own (a folder scan would skip it), last: the 6th input, rank 1's.
        let broken = directory.file("broken.wav")
        try Data("not audio".utf8).write(to: broken)
        func arguments(_ output: URL) -> [String] {
            [
                "extract", "--checkpoint", checkpoint.path, "--window-seconds", "1",
                "--layers", "0,2", audio.path, broken.path, "-o", output.path,
            ]
        }

        let single = directory.file("single"), distributed = directory.file("distributed")
        let singleLog = directory.file("single.log"),
            distributedLog = directory.file("distributed.log")
        // The broken file fails its input on rank 1, and the whole command on every rank.
        #expect(
            try MPILaunch.runAlone(binary: binary, arguments: arguments(single), log: singleLog)
                == 1)
        #expect(
            try MPILaunch.run(
                ranks: 2, binary: binary, arguments: arguments(distributed), log: distributedLog)
                != 0,
            "\(MPILaunch.text(of: distributedLog))")
        try expectSameFiles(single, distributed, count: 5)
        let log = MPILaunch.text(of: distributedLog)
        #expect(log.contains("5 array(s) over 2 ranks"), "\(log)")
        #expect(log.contains("1 of 6 inputs failed over 2 ranks"), "\(log)")
        #expect(log.contains("broken.wav"), "\(log)")
    }

    @Test(
        "benchmark: 2 ranks build the feature caches byte for byte as one process; rank 0 probes and counts every item"
    )
    func benchmark() throws {
        guard MPILaunch.mpirunOrIssue() != nil else { return }
        let binary = try MPILaunch.requireMSLBinary()
        let checkpoint = try writeCheckpoint()
        let folder = directory.file("mine")
        var lines = ["path,label,split"]
        for (index, split) in ["train", "train", "train", "valid", "valid", "test", "test"]
            .enumerated()
        {
            try writeTone(
                folder.appendingPathComponent("audio/\(index).wav"), index: index % 2,
                seconds: 1 + 0.3 * Double(index))
            lines.append("audio/\(index).wav,\(index % 2 == 0 ? "low" : "high"),\(split)")
        }
        let manifest = folder.appendingPathComponent("manifest.csv")
        try (lines.joined(separator: "\n") + "\n").write(
            to: manifest, atomically: true, encoding: .utf8)
        func arguments(_ output: URL) -> [String] {
            [
                "benchmark", "--checkpoints", checkpoint.path, "--random-baseline", "--csv",
                "mine=\(manifest.path)",
                "-o", output.path, "--learning-rates", "1e-3", "--layers", "all", "--max-epochs",
                "1", "--batch-size", "2",
            ]
        }

        let single = directory.file("single"), distributed = directory.file("distributed")
        let singleLog = directory.file("single.log"),
            distributedLog = directory.file("distributed.log")
        #expect(
            try MPILaunch.runAlone(binary: binary, arguments: arguments(single), log: singleLog)
                == 0,
            "\(MPILaunch.text(of: singleLog))")
        #expect(
            try MPILaunch.run(
                ranks: 2, binary: binary, arguments: arguments(distributed), log: distributedLog)
                == 0,
            "\(MPILaunch.text(of: distributedLog))")
        // Two rows (the checkpoint, its random initialisation) × 7 items.
        try expectSameFiles(
            single.appendingPathComponent("cache"), distributed.appendingPathComponent("cache"),
            count: 14)
        let table = try String(
            contentsOf: distributed.appendingPathComponent("table.csv"), encoding: .utf8)
        #expect(
            table.split(separator: "\n").map { $0.split(separator: ",").first ?? "" } == [
                "model", "tiny", "random init",
            ])
        let log = MPILaunch.text(of: distributedLog)
        // Rank 0 built its share (items 0, 2, 4, 6), then its full build found all 7 cached.
        #expect(log.contains("(tiny, rank 0 of 2)"), "\(log)")
        #expect(log.contains("4/4"), "\(log)")
        #expect(log.contains("features mine") && log.contains("7/7"), "\(log)")
        #expect(!log.contains("rank 1 of 2"), "only rank 0 reports: \(log)")
    }
}
