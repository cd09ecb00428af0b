import ArgumentParser
import Foundation
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

    /// Parses and runs the command, refusing under `mpirun -np N` (N > 1) a command that does not
    /// share its work between ranks: N copies would each do all of it, into the same outputs.
    static func main() {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        if !(command is any DistributedCommand), let ranks = DistributedJob.launchedRankCount, ranks > 1 {
            let name = (["msl"] + CommandLine.arguments.dropFirst().prefix { !$0.hasPrefix("-") }).joined(separator: " ")
            ProgressBar.writeToStandardError(
                "Error: `\(name)` runs in one process; under mpirun with \(ranks) ranks every rank would do all "
                    + "of its work into the same outputs. Run it without mpirun (msl pretrain, msl extract and "
                    + "msl benchmark share their work between ranks).\n")
            Foundation.exit(64)
        }
        do {
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

/// A command that shares its work between the ranks `mpirun` starts (through ``DistributedJob``).
protocol DistributedCommand: ParsableCommand {}

extension Pretrain: DistributedCommand {}
extension Extract: DistributedCommand {}
extension Benchmark: DistributedCommand {}
