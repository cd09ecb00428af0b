import ArgumentParser
import MusicSSLCore

/// The `msl` command: pre-train, extract, probe and benchmark self-supervised music models.
@main
struct MSL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "msl",
        abstract: "Self-supervised pre-training and probing for music audio.",
        subcommands: [Demo.self])

    /// Restarts once with OpenBLAS's AVX-512 kernels where Debian's OpenBLAS would fall back to
    /// AVX2 (see `BLASEnvironment`), then parses the command line and runs the subcommand.
    static func main() {
        BLASEnvironment.relaunchWithRecommendedSettings()
        main(nil)
    }
}
