import Foundation

/// A folder under /dev/shm (tmpfs), one per process and reused by every input, where targets
/// whose API reads URLs write the input bytes. Removed when the process exits normally.
enum Scratch {
    static let directory: URL = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let url = URL(fileURLWithPath: base)
            .appendingPathComponent("msl-fuzz-\(getpid())", isDirectory: true)
        try? FileManager.default.removeItem(at: url)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.directory) }
        return url
    }()

    /// `bytes` written to `name` in the scratch folder.
    static func file(_ name: String, _ bytes: some Collection<UInt8>) -> URL {
        let url = directory.appendingPathComponent(name)
        try! Data(bytes).write(to: url)
        return url
    }

    /// Removes `name` from the scratch folder if it is there.
    static func remove(_ name: String) {
        unlink(directory.appendingPathComponent(name).path)
    }

    /// `bytes` cut at every NUL byte (a trailing part may be empty).
    static func sections(_ bytes: UnsafeBufferPointer<UInt8>) -> [ArraySlice<UInt8>] {
        Array(bytes).split(separator: 0, omittingEmptySubsequences: false)
    }
}

/// A deterministic generator (SplitMix64), so an input always takes the same path.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
