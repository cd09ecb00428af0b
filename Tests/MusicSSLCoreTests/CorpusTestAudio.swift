import Foundation
import MusicSSLTestSupport

/// Writes `seconds` of seeded uniform noise in [-0.5, 0.5] at `sampleRate` to `name` under
/// `directory`, creating subfolders; distinct seeds give distinct files.
@discardableResult
func writeNoise(
    _ name: String, in directory: TemporaryDirectory, seconds: Double, sampleRate: Int,
    format: AudioFileFormat = .wavFloat, seed: UInt64 = 1
) throws -> URL {
    let url = directory.file(name)
    try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    var generator = SplitMix64(seed: seed)
    let count = Int((seconds * Double(sampleRate)).rounded())
    let samples = (0..<count).map { _ in Float.random(in: -0.5...0.5, using: &generator) }
    try AudioEncoder.write(samples, sampleRate: sampleRate, format: format, to: url)
    return url
}

/// Writes raw `bytes` to `name` under `directory`, creating subfolders.
@discardableResult
func writeBytes(_ bytes: [UInt8], _ name: String, in directory: TemporaryDirectory) throws -> URL {
    let url = directory.file(name)
    try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    return url
}

/// `count` seeded random bytes: no audio format's magic number.
func randomBytes(_ count: Int, seed: UInt64 = 99) -> [UInt8] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}
