import ArgumentParser
import MusicSSLCore

/// The `msl` command: pre-train, extract, probe and benchmark self-supervised music models.
@main
struct MSL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "msl",
        abstract: "Self-supervised pre-training and probing for music audio.",
        subcommands: [
            Demo.self, Info.self, Features.self, Convert.self, Extract.self, KMeans.self, Pretrain.self,
            Probe.self, Benchmark.self, Synth.self,
        ])
}
