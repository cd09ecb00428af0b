import Foundation
import MusicSSLTestSupport

/// Writes `seconds` of seeded uniform noise in [-0.5, 0.5] at `sampleRate` to `name` under
/// `directory`; distinct seeds give distinct files.
@discardableResult
func writeNoiseFile(
    _ name: String, in directory: TemporaryDirectory, seconds: Double, sampleRate: Int = 16_000,
    seed: UInt64
) throws -> URL {
    let url = directory.file(name)
    var generator = SplitMix64(seed: seed)
    let count = Int((seconds * Double(sampleRate)).rounded())
    let samples = (0..<count).map { _ in Float.random(in: -0.5...0.5, using: &generator) }
    try AudioEncoder.write(samples, sampleRate: sampleRate, format: .wavFloat, to: url)
    return url
}

/// Counts crop reads from any thread.
final class ReadCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment() {
        lock.lock()
        value += 1
        lock.unlock()
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

/// Polls `condition` every 5 ms for up to `seconds`; true once it holds.
func eventually(within seconds: Double = 20, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}
