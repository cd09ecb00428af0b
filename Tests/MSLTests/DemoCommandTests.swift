import ArgumentParser
import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

@testable import msl

/// `msl demo`: its plan is a list of real msl command lines, it continues where it stopped, and
/// a quick run goes from nothing to the report with all four rows.
@Suite("msl demo")
struct DemoCommandTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Overrides that make both models a few thousand parameters.
    static let miniature = [
        "--set", "model.layers=3", "--set", "model.dimensions=32", "--set", "model.heads=2",
        "--set", "model.convolution_channels=16", "--set", "model.feed_forward_dimensions=64",
    ]

    @Test("every step is an msl command line that parses; a run's checkpoints turn on --resume")
    func plan() throws {
        let output = directory.file("demo")
        let demo = try Demo.parse(["-o", output.path, "--steps", "40", "--set", "model.layers=2"])
        let plan = demo.plan
        #expect(plan.steps.map { $0.arguments.prefix(2).joined(separator: " ") } == [
            "synth -o", "kmeans fit", "kmeans label", "pretrain --config", "pretrain --config",
            "benchmark --checkpoints",
        ])
        for step in plan.steps {
            _ = try MSL.parseAsRoot(step.arguments)
            #expect(!step.isDone)
        }
        let pretrain = plan.steps[3].arguments
        #expect(pretrain.contains("--labels") && pretrain.suffix(2) == ["--set", "model.layers=2"])
        #expect(!pretrain.contains("--resume"))
        try plan.writeConfigurations()
        let yaml = try String(contentsOf: plan.configuration("musichubert"), encoding: .utf8)
        #expect(yaml.contains("steps: 40") && yaml.contains("clusters: 50"))

        let checkpoints = plan.runFolder("musichubert").appendingPathComponent("checkpoints")
        try FileManager.default.createDirectory(at: checkpoints, withIntermediateDirectories: true)
        try Data().write(to: checkpoints.appendingPathComponent("step-10.safetensors"))
        #expect(plan.steps[3].arguments.contains("--resume"))
        #expect(!plan.steps[4].arguments.contains("--resume"))
        // With the user's folder, no synthetic corpus and the folder everywhere a corpus goes.
        let own = try Demo.parse(["-o", output.path, "--corpus", directory.url.path]).plan
        #expect(own.steps[0].arguments.suffix(2) == ["--corpus-files", "0"])
        #expect(own.steps[1].arguments.contains(directory.url.path))
        #expect(DemoPlan.Step(title: "t", arguments: ["probe", "a b", "it's"], completion: nil)
            .commandLine == "msl probe 'a b' 'it'\\''s'")
    }

    @Test("a bad corpus folder or step count is refused; a folder made with other settings is not reused")
    func errors() throws {
        #expect(throws: (any Error).self) { try Demo.parse(["--steps", "0"]) }
        #expect(throws: (any Error).self) { try Demo.parse(["--corpus", directory.file("missing").path]) }
        let output = directory.file("claimed")
        try Demo.parse(["-o", output.path, "--steps", "40"]).plan.claimFolder()
        try Demo.parse(["-o", output.path, "--steps", "40"]).plan.claimFolder()
        do {
            try Demo.parse(["-o", output.path, "--steps", "50"]).plan.claimFolder()
            Issue.record("a folder made with 40 updates was reused for 50")
        } catch let error as ValidationError {
            #expect(error.message.contains("pretraining steps: 40") && error.message.contains("pretraining steps: 50"))
        }
    }

    @Test("--quick from nothing to Table 1: both models, the random-init and MFCC rows, every task; a second run does nothing again")
    func quickRun() throws {
        let output = directory.file("demo")
        let arguments = ["-o", output.path, "--quick"] + Self.miniature
        try Demo.parse(arguments).run()
        let table = try String(
            contentsOf: output.appendingPathComponent("report/table.csv"), encoding: .utf8
        ).split(separator: "\n").map(String.init)
        #expect(table.count == 5)
        #expect(table.dropFirst().map { String($0.split(separator: ",")[0]) }
            == ["MusicHuBERT", "Music2vec", "random init", "MFCC"])
        for task in DemoPlan.tasks {
            #expect(table[0].contains(task), "\(task) column")
        }
        for file in ["report/report.md", "report/plots/pitch.svg", "runs/musichubert/encoder.safetensors",
                     "runs/music2vec/encoder.safetensors", "kmeans/mfcc39.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "\(file)")
        }
        let encoder = output.appendingPathComponent("runs/music2vec/encoder.safetensors")
        let before = try FileManager.default.attributesOfItem(atPath: encoder.path)[.modificationDate] as? Date
        try Demo.parse(arguments).run()
        let after = try FileManager.default.attributesOfItem(atPath: encoder.path)[.modificationDate] as? Date
        #expect(before == after)
    }
}
