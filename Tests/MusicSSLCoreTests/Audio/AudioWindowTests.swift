import Foundation
import MusicSSLTestSupport
import Testing

/// Windowed reads seek instead of decoding from the start, and return exactly the samples a
/// full read has at those positions.
@Suite("Audio windowed reads")
struct AudioWindowTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// A chord with a little noise: not periodic, so a window read at the wrong offset differs.
    private static func chord(sampleRate: Int, seconds: Double) -> [Float] {
        var generator = SplitMix64(seed: 7)
        let tones = [(220.0, 0.3), (277.2, 0.2), (329.6, 0.2)].map { frequency, amplitude in
            AudioTestSignals.sine(
                frequency: frequency, amplitude: amplitude, sampleRate: sampleRate,
                seconds: seconds)
        }
        return (0..<tones[0].count).map { frame in
            tones[0][frame] + tones[1][frame] + tones[2][frame]
                + Float.random(in: -0.05...0.05, using: &generator)
        }
    }

    @Test(
        "a window equals the same slice of a full read",
        arguments: AudioFileFormat.allCases.map { ($0, $0.testSampleRate) } + [
            (.oggVorbis, 16_000), (.oggOpus, 16_000), (.mp3, 16_000),
        ])
    func windowMatchesFullRead(format: AudioFileFormat, sampleRate: Int) throws {
        let url = directory.file("chord.\(format.fileExtension)")
        try AudioEncoder.write(
            Self.chord(sampleRate: sampleRate, seconds: 3), channelCount: 1,
            sampleRate: sampleRate, format: format, to: url)
        let reader = try AudioFileReader(url)
        let full = try reader.read().samples
        #expect(full.count == reader.info.frameCount)
        // Lossless formats repeat bit for bit; a seek into a lossy stream may round the last
        // bit differently after the decoder's pre-roll.
        let tolerance: Float = format.isLossless ? 0 : 1e-6
        let windows = [
            (0, 1_000), (1, 4_410), (12_345, 20_000), (full.count - 5_000, 5_000),
            (full.count - 10, 10), (full.count, 0),
        ]
        for (start, count) in windows {
            let window = try reader.read(startFrame: start, frameCount: count).samples
            let oneShot = try AudioDecoder.read(url, startFrame: start, frameCount: count).samples
            #expect(window.count == count && oneShot.count == count)
            for (name, samples) in [("reader", window), ("fresh decoder", oneShot)] {
                let difference = AudioTestSignals.maximumDifference(
                    samples[...], full[start..<start + count])
                #expect(
                    difference <= tolerance,
                    "\(format): \(name) window at \(start)+\(count) differs by \(difference)")
            }
        }
        let tail = try reader.read(startFrame: full.count - 10).samples
        #expect(tail.count == 10)
    }

    @Test("an MP3 window is decoded with the bit reservoir primed", arguments: [44_100, 16_000])
    func mp3BitReservoir(sampleRate: Int) throws {
        // A pure tone needs few bits, so LAME leans on the reservoir: without pre-roll the
        // first ~3,000 samples after a seek came out wrong.
        let url = directory.file("tone.mp3")
        try AudioEncoder.write(
            AudioTestSignals.sine(sampleRate: sampleRate, seconds: 6), sampleRate: sampleRate,
            format: .mp3, to: url)
        let reader = try AudioFileReader(url)
        let full = try reader.read().samples
        for start in [5_000, 23_457, 50_000, 70_001] {
            let window = try reader.read(startFrame: start, frameCount: 10_000).samples
            let difference = AudioTestSignals.maximumDifference(window[...], full[start...])
            #expect(difference <= 1e-6, "window at \(start) differs by \(difference)")
        }
    }

    @Test(
        "a 5 s window of a 10-minute file reads about the window", .timeLimit(.minutes(2)),
        arguments: [AudioFileFormat.wavPCM16, .flac])
    func windowReadsOnlyTheWindow(format: AudioFileFormat) throws {
        let sampleRate = 16_000
        let url = directory.file("long.\(format.fileExtension)")
        // One second of chord repeated, each repeat offset by its index so that no two seconds
        // are equal: cheap to build in a debug run, and a misplaced window still shows.
        let second = Self.chord(sampleRate: sampleRate, seconds: 1)
        var signal = [Float](repeating: 0, count: 600 * sampleRate)
        for index in signal.indices {
            signal[index] = second[index % sampleRate] + Float(index / sampleRate) * 1e-4
        }
        try AudioEncoder.write(signal, sampleRate: sampleRate, format: format, to: url)
        let fileBytes = try #require(
            FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)

        let fullReader = try AudioFileReader(url)
        let full = try fullReader.read().samples

        let windowReader = try AudioFileReader(url)
        let start = 420 * sampleRate
        let window = try windowReader.read(startFrame: start, frameCount: 5 * sampleRate).samples

        let difference = AudioTestSignals.maximumDifference(window[...], full[start...])
        #expect(window.count == 5 * sampleRate && difference == 0)
        #expect(fullReader.bytesRead >= fileBytes)
        // 5 s of 600 s is 0.83 % of the data; allow the header, seek probes and read-ahead.
        let byteFraction = Double(windowReader.bytesRead) / Double(fileBytes)
        // Bytes, not seconds: a timing comparison flakes on a loaded machine.
        #expect(byteFraction < 0.05, "\(format): the window read \(byteFraction) of the file")
    }
}
