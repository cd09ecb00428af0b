import Foundation
import MusicSSLCore

/// Writes the synthetic audio of the task fixtures: a quiet sine at the data set's sample rate,
/// encoded once per (length, rate, format) and copied to every further file that needs the same.
final class FixtureAudio {
    private var written: [String: URL] = [:]

    /// Writes `seconds` of a 440-Hz sine at `sampleRate` to `url` in `format`, creating folders.
    func write(
        _ url: URL, seconds: Double, sampleRate: Int, format: AudioFileFormat = .wavPCM16
    ) throws {
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let key = "\(seconds)-\(sampleRate)-\(format)"
        if let source = written[key] {
            try FileManager.default.copyItem(at: source, to: url)
            return
        }
        let frameCount = Int(seconds * Double(sampleRate))
        let step = 2 * Double.pi * 440 / Double(sampleRate)
        let samples = (0..<frameCount).map { Float(0.2 * sin(step * Double($0))) }
        try AudioEncoder.write(samples, sampleRate: sampleRate, format: format, to: url)
        written[key] = url
    }

    /// Writes `text` to `url` as UTF-8, creating folders.
    static func writeText(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}
