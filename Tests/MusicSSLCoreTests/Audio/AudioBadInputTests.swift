import Foundation
import MusicSSLTestSupport
import Testing

/// Every bad file or request raises an `AudioError` naming the file and the reason: never a
/// crash. Each bad file is made here, from bytes or from a valid file the encoder wrote.
@Suite("Audio bad input")
struct AudioBadInputTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Reads `url` fully and returns the reason of the error raised (nil if none, which fails
    /// the test); checks the message names the file.
    private func readingError(
        _ url: URL, startFrame: Int = 0, frameCount: Int? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> AudioError.Reason? {
        let error = #expect(throws: AudioError.self, sourceLocation: sourceLocation) {
            try AudioDecoder.read(url, startFrame: startFrame, frameCount: frameCount)
        }
        guard let error else { return nil }
        #expect(error.path == url.path, sourceLocation: sourceLocation)
        #expect(error.description.contains(url.path), sourceLocation: sourceLocation)
        return error.reason
    }

    /// Writes a valid file of `seconds` of a 440 Hz tone and returns its bytes and samples.
    private func validFile(
        _ format: AudioFileFormat, seconds: Double = 1, sampleRate: Int = 16_000
    ) throws -> (url: URL, bytes: Data, samples: [Float]) {
        let url = directory.file("valid.\(format.fileExtension)")
        let samples = AudioTestSignals.sine(sampleRate: sampleRate, seconds: seconds)
        try AudioEncoder.write(samples, sampleRate: sampleRate, format: format, to: url)
        return (url, try Data(contentsOf: url), samples)
    }

    @Test("a missing path is reported as missing")
    func missingPath() {
        #expect(readingError(directory.file("nowhere.wav")) == .missing)
    }

    @Test("a directory is not a file")
    func directoryPath() throws {
        let folder = directory.file("folder.wav")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        #expect(readingError(folder) == .notAFile)
    }

    @Test("an empty file is empty")
    func emptyFile() throws {
        let url = directory.file("empty.wav")
        try Data().write(to: url)
        #expect(readingError(url) == .empty)
    }

    @Test("a valid file with zero frames is empty", arguments: [AudioFileFormat.wavPCM16, .flac])
    func zeroFrames(format: AudioFileFormat) throws {
        let url = directory.file("silence.\(format.fileExtension)")
        try AudioEncoder.write([], sampleRate: 16_000, format: format, to: url)
        #expect(readingError(url) == .empty)
        #expect(throws: AudioError(path: url.path, .empty)) { try AudioDecoder.info(of: url) }
    }

    @Test("random bytes with a .wav name are not a recognised format")
    func randomBytes() throws {
        var generator = SplitMix64(seed: 11)
        let url = directory.file("noise.wav")
        try Data((0..<4_096).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(
            to: url)
        guard case .unsupportedFormat(let message) = readingError(url) else {
            Issue.record("random bytes were not reported as an unsupported format")
            return
        }
        #expect(!message.isEmpty)
    }

    @Test("a WAV cut inside its header is an error", arguments: [12, 30, 44])
    func headerCut(byteCount: Int) throws {
        let valid = try validFile(.wavPCM16)
        let url = directory.file("header.wav")
        try valid.bytes.prefix(byteCount).write(to: url)
        #expect(readingError(url) != nil)
    }

    @Test("a WAV claiming zero channels is corrupt or unsupported")
    func zeroChannels() throws {
        var bytes = try validFile(.wavPCM16).bytes
        // The canonical 44-byte header: "RIFF" size "WAVE" "fmt " 16, format 1, channels at 22.
        #expect(bytes[22] == 1)
        bytes[22] = 0
        let url = directory.file("channels.wav")
        try bytes.write(to: url)
        switch readingError(url) {
        case .corrupt, .unsupportedFormat: break
        case let other: Issue.record("zero channels gave \(String(describing: other))")
        }
    }

    @Test(
        "a WAV cut in half reads as its intact prefix",
        arguments: [AudioFileFormat.wavPCM16, .wavFloat])
    func truncatedWAV(format: AudioFileFormat) throws {
        let valid = try validFile(format)
        let url = directory.file("half.wav")
        try valid.bytes.prefix(valid.bytes.count / 2).write(to: url)
        let info = try AudioDecoder.info(of: url)
        #expect(abs(info.frameCount - valid.samples.count / 2) < 64)
        let prefix = try AudioDecoder.read(url).samples
        let full = try AudioDecoder.read(valid.url).samples
        #expect(AudioTestSignals.maximumDifference(prefix[...], full[...]) == 0)
    }

    @Test("a FLAC cut in half throws truncated past the cut and decodes before it")
    func truncatedFLAC() throws {
        let valid = try validFile(.flac, seconds: 4)
        let url = directory.file("half.flac")
        try valid.bytes.prefix(valid.bytes.count / 2).write(to: url)
        let info = try AudioDecoder.info(of: url)
        #expect(info.frameCount == valid.samples.count, "STREAMINFO still declares the full length")
        guard case .truncated(let start, let expected, let decoded) = readingError(url) else {
            Issue.record("a cut FLAC read fully was not reported as truncated")
            return
        }
        #expect(start == 0 && expected == valid.samples.count)
        #expect(decoded > 0 && decoded < expected)
        let quarter = valid.samples.count / 4
        let window = try AudioDecoder.read(url, startFrame: 100, frameCount: quarter).samples
        let full = try AudioDecoder.read(valid.url).samples
        #expect(window.count == quarter)
        #expect(AudioTestSignals.maximumDifference(window[...], full[100...]) == 0)
    }

    @Test("a FLAC header promising 2^36 frames reads as truncated, without a giant allocation")
    func hugeFrameCount() throws {
        var bytes = try validFile(.flac).bytes
        // "fLaC", a 4-byte block header, then STREAMINFO, whose total-samples field is the low
        // nibble of its byte 13 and its bytes 14 to 17: file bytes 21 to 25.
        #expect(bytes.prefix(4) == Data("fLaC".utf8))
        bytes[21] |= 0x0F
        for index in 22...25 { bytes[index] = 0xFF }
        let url = directory.file("huge.flac")
        try bytes.write(to: url)
        #expect(try AudioDecoder.info(of: url).frameCount == (1 << 36) - 1)
        guard case .truncated(_, let expected, let decoded) = readingError(url) else {
            Issue.record("a FLAC promising 2^36 frames was not reported as truncated")
            return
        }
        #expect(expected == (1 << 36) - 1 && decoded == 16_000)
    }

    @Test("an MP3 cut in half throws truncated")
    func truncatedMP3() throws {
        let valid = try validFile(.mp3, seconds: 4)
        let url = directory.file("half.mp3")
        try valid.bytes.prefix(valid.bytes.count / 2).write(to: url)
        guard case .truncated = readingError(url) else {
            Issue.record("a cut MP3 read fully was not reported as truncated")
            return
        }
    }

    @Test("an Ogg stream cut before its last page reads as its decodable prefix")
    func truncatedOgg() throws {
        // Long enough that half the file holds complete audio pages; with none, it is empty.
        let valid = try validFile(.oggVorbis, seconds: 30)
        let url = directory.file("half.ogg")
        try valid.bytes.prefix(valid.bytes.count / 2).write(to: url)
        let info = try AudioDecoder.info(of: url)
        #expect(info.frameCount > 0 && info.frameCount < valid.samples.count)
        let prefix = try AudioDecoder.read(url).samples
        #expect(prefix.count == info.frameCount)
        let full = try AudioDecoder.read(valid.url).samples
        // All but the last decoded packet match the intact stream.
        let compared = prefix.count - 2_048
        let difference = AudioTestSignals.maximumDifference(
            prefix.prefix(compared), full.prefix(compared))
        #expect(difference == 0, "max difference \(difference)")
    }

    /// A float WAV whose frame `badFrame` holds `value` in `channel`, patched into the bytes
    /// (the encoder refuses non-finite samples).
    private func floatWAV(
        with value: Float, atFrame badFrame: Int, channel: Int = 0, channelCount: Int = 1
    ) throws -> URL {
        let marker: Float = 0.123_456_79
        var samples = [Float](repeating: 0.25, count: 1_000 * channelCount)
        samples[badFrame * channelCount + channel] = marker
        let url = directory.file("nonfinite.wav")
        try AudioEncoder.write(
            samples, channelCount: channelCount, sampleRate: 8_000, format: .wavFloat, to: url)
        var bytes = try Data(contentsOf: url)
        let markerBytes = withUnsafeBytes(of: marker.bitPattern.littleEndian) { Data($0) }
        let range = try #require(bytes.range(of: markerBytes))
        bytes.replaceSubrange(
            range, with: withUnsafeBytes(of: value.bitPattern.littleEndian) { Data($0) })
        try bytes.write(to: url)
        return url
    }

    @Test(
        "NaN and infinite samples name the first bad frame",
        arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteSamples(value: Float) throws {
        let url = try floatWAV(with: value, atFrame: 321)
        #expect(readingError(url) == .nonFiniteSample(frame: 321))
        #expect(readingError(url, startFrame: 300, frameCount: 100) == .nonFiniteSample(frame: 321))
        #expect(try AudioDecoder.read(url, startFrame: 322).samples.count == 678)
        let cleaned = try AudioDecoder.read(url, nonFiniteSamples: .replaceWithZero).samples
        #expect(cleaned[321] == 0)
        #expect(cleaned.enumerated().allSatisfy { $0.offset == 321 || $0.element == 0.25 })
    }

    @Test("a NaN in one channel of a stereo file names its frame")
    func nonFiniteStereo() throws {
        let url = try floatWAV(with: .nan, atFrame: 77, channel: 1, channelCount: 2)
        #expect(readingError(url) == .nonFiniteSample(frame: 77))
    }

    @Test("windows outside the file are invalid ranges")
    func invalidRanges() throws {
        let valid = try validFile(.wavPCM16, seconds: 0.5)
        let frameCount = valid.samples.count
        for (start, count) in [(-1, 10), (0, frameCount + 1), (frameCount + 1, 0), (10, -1)] {
            #expect(
                readingError(valid.url, startFrame: start, frameCount: count)
                    == .invalidRange(
                        startFrame: start, frameCount: count, fileFrameCount: frameCount))
        }
        #expect(
            readingError(valid.url, startFrame: frameCount + 5)
                == .invalidRange(
                    startFrame: frameCount + 5, frameCount: 0, fileFrameCount: frameCount))
    }

    @Test("the encoder rejects invalid arguments and leaves no file behind")
    func encoderArguments() throws {
        let url = directory.file("out.wav")
        let cases: [(samples: [Float], channels: Int, rate: Int, format: AudioFileFormat)] = [
            ([0, 0], 0, 16_000, .wavPCM16),
            ([0, 0], 1, 0, .wavPCM16),
            ([0, 0, 0], 2, 16_000, .wavPCM16),
            ([0, 0], 1, 44_100, .oggOpus),
            ([0, .nan], 1, 16_000, .wavFloat),
            ([Float](repeating: 0, count: 12), 6, 16_000, .mp3),
        ]
        for entry in cases {
            let error = #expect(throws: AudioError.self, "\(entry)") {
                try AudioEncoder.write(
                    entry.samples, channelCount: entry.channels, sampleRate: entry.rate,
                    format: entry.format, to: url)
            }
            #expect(error?.path == url.path)
        }
        #expect(try directory.contents().isEmpty)
    }

    @Test("writing into a missing folder fails with the system's reason")
    func encoderMissingFolder() {
        let url = directory.file("absent/out.wav")
        let error = #expect(throws: AudioError.self) {
            try AudioEncoder.write([0], sampleRate: 16_000, format: .wavPCM16, to: url)
        }
        guard case .writeFailed(let reason) = error?.reason else {
            Issue.record("expected writeFailed, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("No such file"))
    }
}
