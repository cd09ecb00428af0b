import Foundation
import MusicSSLCore

/// With MSL_FUZZ_WRITE_SEEDS=<folder> the binary writes the audio seed corpus (tiny files of
/// every format ``AudioEncoder`` writes) there and exits; Fuzz/write-seeds.sh runs it.
enum AudioSeeds {
    static func writeIfAsked() {
        guard let path = ProcessInfo.processInfo.environment["MSL_FUZZ_WRITE_SEEDS"] else { return }
        let folder = URL(fileURLWithPath: path, isDirectory: true)
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func tone(_ frames: Int, channels: Int, rate: Int) -> [Float] {
            (0..<(frames * channels)).map { index in
                0.5 * Float(sin(2 * Double.pi * 440 * Double(index / channels) / Double(rate)))
            }
        }
        let formats: [(String, AudioFileFormat, Int, Int, Int)] = [
            ("pcm8.wav", .wavPCM8, 8_000, 1, 400),
            ("pcm16-stereo.wav", .wavPCM16, 22_050, 2, 600),
            ("pcm24.wav", .wavPCM24, 44_100, 1, 500),
            ("pcm32.wav", .wavPCM32, 16_000, 1, 300),
            ("float.wav", .wavFloat, 11_025, 1, 300),
            ("tone.flac", .flac, 44_100, 1, 2_000),
            ("tone.ogg", .oggVorbis, 22_050, 1, 2_000),
            ("tone.opus", .oggOpus, 16_000, 1, 2_000),
            ("tone.mp3", .mp3, 8_000, 1, 2_000),
        ]
        for (name, format, rate, channels, frames) in formats {
            do {
                try AudioEncoder.write(
                    tone(frames, channels: channels, rate: rate), channelCount: channels,
                    sampleRate: rate, format: format, to: folder.appendingPathComponent(name))
            } catch {
                FileHandle.standardError.write(Data("msl-fuzz: \(name): \(error)\n".utf8))
                exit(1)
            }
        }
        exit(0)
    }
}
