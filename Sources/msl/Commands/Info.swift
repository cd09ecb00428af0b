import ArgumentParser
import Foundation
import MusicSSLCore

/// `msl info FILE...`: what each audio file holds, as the decoder sees it, or what an encoder
/// checkpoint (a `.safetensors` file or an HF model directory) contains.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe audio files (format, rate, channels, duration) or encoder checkpoints.",
        discussion: """
            One line per audio file on standard output; for a checkpoint (a .safetensors \
            file or a HuggingFace model directory), its architecture, parameter count and \
            provenance; a file that cannot be read is reported on \
            standard error with the reason, and the command exits with a failure status once \
            every file has been tried.
            """)

    @Argument(
        help:
            "Audio files (anything libsndfile reads), .safetensors checkpoints or HF model directories."
    )
    var files: [String]

    func run() throws {
        var failureCount = 0
        for file in files {
            do {
                let url = URL(fileURLWithPath: file)
                if CheckpointDescription.isCheckpoint(file) {
                    print(try CheckpointDescription.describe(url).joined(separator: "\n"))
                } else {
                    print("\(file): \(try AudioDecoder.info(of: url))")
                }
            } catch {
                failureCount += 1
                FileHandle.standardError.write(Data("msl info: \(error)\n".utf8))
            }
        }
        if failureCount > 0 { throw ExitCode.failure }
    }
}
