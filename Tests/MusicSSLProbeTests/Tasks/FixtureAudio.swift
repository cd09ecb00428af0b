import Foundation
import MusicSSLCore

/// Writes the synthetic audio of the task fixtures: a quiet 441-Hz sine at the data set's
/// sample rate. Each (length, rate, format) is encoded once per test process and its bytes are
/// reused for every further file, so trees with minutes of MP3 stay fast to write.
final class FixtureAudio: @unchecked Sendable {
    /// Encoded files by "seconds-rate-format", shared by all trees of the process.
    private static let shared = FixtureAudio()
    private let lock = NSLock()
    private var encoded: [String: Data] = [:]

    /// Writes `seconds` of a sine at `sampleRate` to `url` in `format`, creating folders.
    static func write(
        _ url: URL, seconds: Double, sampleRate: Int, format: AudioFileFormat = .wavPCM16
    ) throws {
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try shared.bytes(seconds: seconds, sampleRate: sampleRate, format: format).write(to: url)
    }

    /// Writes `text` to `url` as UTF-8, creating folders.
    static func writeText(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The encoded file, from the cache or encoded now through ``AudioEncoder``.
    private func bytes(seconds: Double, sampleRate: Int, format: AudioFileFormat) throws -> Data {
        let key = "\(seconds)-\(sampleRate)-\(format)"
        lock.lock()
        defer { lock.unlock() }
        if let data = encoded[key] { return data }
        // One period of a sine, doubled by whole-array appends (bulk copies, fast in debug
        // builds where a per-sample loop over a minute of audio takes seconds).
        let period = max(2, sampleRate / 441)
        var samples = (0..<period).map {
            Float(0.2 * sin(2 * Double.pi * Double($0) / Double(period)))
        }
        let frameCount = Int(seconds * Double(sampleRate))
        while samples.count < frameCount { samples += samples }
        samples.removeLast(samples.count - frameCount)
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("musicssl-fixture-\(UUID().uuidString).\(format.fileExtension)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try AudioEncoder.write(samples, sampleRate: sampleRate, format: format, to: temporary)
        let data = try Data(contentsOf: temporary)
        encoded[key] = data
        return data
    }
}
