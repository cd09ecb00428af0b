import ArgumentParser
import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

@testable import msl

/// `msl synth` in-process: the options reach the suite and the folder layout is written.
@Suite("msl synth")
struct SynthCommandTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test("msl synth writes the corpus, the chosen tasks' manifests and audio, and suite.json")
    func layout() throws {
        let output = directory.file("suite")
        try Synth.parse([
            "-o", output.path, "--seed", "3", "--tasks", "pitch,beat", "--train-items", "2",
            "--valid-items", "1", "--test-items", "1", "--corpus-files", "2",
            "--corpus-seconds", "1",
        ]).run()
        let manager = FileManager.default
        #expect(
            try manager.contentsOfDirectory(atPath: output.path).sorted()
                == ["corpus", "suite.json", "tasks"])
        #expect(
            try manager.contentsOfDirectory(atPath: output.appendingPathComponent("corpus").path)
                .sorted() == ["synth-00000.wav", "synth-00001.wav"])
        #expect(
            try manager.contentsOfDirectory(atPath: output.appendingPathComponent("tasks").path)
                .sorted() == ["beat", "pitch"])
        let manifest = output.appendingPathComponent("tasks/beat/manifest.csv")
        let lines = try String(contentsOf: manifest, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "path,beat_times,split" && lines.count == 5)
        let task = try CSVTask.load(manifest: manifest, name: "beat")
        #expect(task.kind == .beatTracking)
    }

    @Test("--quick, the item and clip-length options shape the configuration; unknown tasks and bad lengths are refused")
    func options() throws {
        let quick = try Synth.parse(["-o", "x", "--quick", "--train-items", "5"])
            .suiteConfiguration()
        #expect(quick.trainItems == 5 && quick.validItems == 8 && quick.corpusFiles == 12)
        #expect(
            try Synth.parse(["-o", "x"]).suiteConfiguration() == SyntheticSuite.Configuration())
        #expect(throws: (any Error).self) {
            try Synth.parse(["-o", "x", "--tasks", "pitch,melody"])
        }
        #expect(throws: (any Error).self) { try Synth.parse(["-o", "x", "--train-items", "0"]) }
        let clips = try Synth.parse(["-o", "x", "--clip-seconds", "beat=5", "--clip-seconds", "key=6.5"])
            .suiteConfiguration()
        #expect(clips.clipSeconds(for: .beat) == 5 && clips.clipSeconds(for: .key) == 6.5)
        #expect(clips.clipSeconds(for: .tempo) == 8)
        for bad in ["beat", "melody=3", "beat=fast", "beat=0"] {
            #expect(throws: (any Error).self, "\(bad)") {
                try Synth.parse(["-o", "x", "--clip-seconds", bad])
            }
        }
    }
}
