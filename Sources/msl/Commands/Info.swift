import ArgumentParser
import Foundation
import MusicSSLCore

/// `msl info FILE...`: what each audio file holds, as the decoder sees it.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the format, sample rate, channels and duration of audio files.",
        discussion: """
            One line per file on standard output; a file that cannot be read is reported on \
            standard error with the reason, and the command exits with a failure status once \
            every file has been tried.
            """)

    @Argument(help: "Audio files (WAV, FLAC, Ogg Vorbis, Opus, MP3, or anything libsndfile reads).")
    var files: [String]

    func run() throws {
        var failureCount = 0
        for file in files {
            do {
                print("\(file): \(try AudioDecoder.info(of: URL(fileURLWithPath: file)))")
            } catch {
                failureCount += 1
                FileHandle.standardError.write(Data("msl info: \(error)\n".utf8))
            }
        }
        if failureCount > 0 { throw ExitCode.failure }
    }
}
