import Foundation
import MusicSSLTestSupport
import Testing

/// Every format the encoder writes decodes back to the same tone: rate, channels, length,
/// level and frequency, and for lossless formats the same samples.
@Suite("Audio round trips")
struct AudioRoundTripTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test("a 440 Hz sine survives each format", arguments: AudioFileFormat.allCases)
    func sineRoundTrip(format: AudioFileFormat) throws {
        let sampleRate = format.testSampleRate
        let sine = AudioTestSignals.sine(sampleRate: sampleRate, seconds: 1)
        let url = directory.file("sine.\(format.fileExtension)")
        try AudioEncoder.write(sine, sampleRate: sampleRate, format: format, to: url)

        let info = try AudioDecoder.info(of: url)
        #expect(info.path == url.path)
        #expect(info.sampleRate == sampleRate)
        #expect(info.channelCount == 1)
        #expect(
            abs(info.frameCount - sine.count) <= format.lengthToleranceFrames,
            "\(format): \(info.frameCount) frames, wrote \(sine.count)")

        let clip = try AudioDecoder.read(url)
        #expect(clip.sampleRate == sampleRate)
        #expect(clip.samples.count == info.frameCount)
        // The middle avoids codec warm-up and tail padding.
        let middle = clip.samples[sampleRate / 10..<sampleRate * 9 / 10]
        let rms = AudioTestSignals.rms(middle)
        #expect(abs(rms - 0.5 / 2.0.squareRoot()) < 0.01, "\(format): RMS \(rms)")
        let frequency = AudioTestSignals.zeroCrossingFrequency(middle, sampleRate: sampleRate)
        #expect(abs(frequency - 440) < 1, "\(format): \(frequency) Hz")

        if let tolerance = format.losslessTolerance {
            let difference = AudioTestSignals.maximumDifference(clip.samples[...], sine[...])
            #expect(difference <= tolerance, "\(format): max difference \(difference)")
            let correlation = AudioTestSignals.correlation(clip.samples[...], sine[...])
            #expect(correlation > 0.9999, "\(format): correlation \(correlation)")
        }
    }

    @Test(
        "the format is named in words",
        arguments: [
            (AudioFileFormat.wavPCM16, "WAV PCM 16-bit"), (.wavPCM8, "WAV PCM 8-bit unsigned"),
            (.wavFloat, "WAV float 32-bit"), (.flac, "FLAC PCM 16-bit"), (.oggVorbis, "Ogg Vorbis"),
            (.oggOpus, "Ogg Opus"), (.mp3, "MP3"),
        ])
    func formatName(format: AudioFileFormat, name: String) throws {
        let url = directory.file("tone.\(format.fileExtension)")
        let sampleRate = format.testSampleRate
        try AudioEncoder.write(
            AudioTestSignals.sine(sampleRate: sampleRate, seconds: 0.2), sampleRate: sampleRate,
            format: format, to: url)
        #expect(try AudioDecoder.info(of: url).format == name)
    }

    @Test("the one-line summary states format, rate, channels and duration")
    func summary() throws {
        let url = directory.file("stereo.wav")
        try AudioEncoder.write(
            [Float](repeating: 0.1, count: 2 * 66_150), channelCount: 2, sampleRate: 44_100,
            format: .wavPCM16, to: url)
        #expect(
            try AudioDecoder.info(of: url).description
                == "WAV PCM 16-bit, 44100 Hz, 2 channels, 0:01.500 (66150 frames)")
        let long = AudioFileInfo(
            path: "x", format: "FLAC PCM 24-bit", sampleRate: 48_000, channelCount: 1,
            frameCount: 48_000 * 3_725 + 24_000)
        #expect(
            long.description
                == "FLAC PCM 24-bit, 48000 Hz, 1 channel, 1:02:05.500 (178824000 frames)")
    }

    @Test("stereo is averaged to mono", arguments: [AudioFileFormat.wavFloat, .wavPCM16, .flac])
    func stereoDownmix(format: AudioFileFormat) throws {
        let left = AudioTestSignals.sine(
            frequency: 440, amplitude: 0.5, sampleRate: 16_000, seconds: 0.5)
        let right = AudioTestSignals.sine(
            frequency: 660, amplitude: 0.25, sampleRate: 16_000, seconds: 0.5)
        let url = directory.file("stereo.\(format.fileExtension)")
        try AudioEncoder.write(
            AudioTestSignals.interleave([left, right]), channelCount: 2, sampleRate: 16_000,
            format: format, to: url)
        #expect(try AudioDecoder.info(of: url).channelCount == 2)
        let mono = try AudioDecoder.read(url).samples
        let expected = zip(left, right).map { ($0 + $1) / 2 }
        #expect(mono.count == expected.count)
        let difference = AudioTestSignals.maximumDifference(mono[...], expected[...])
        #expect(
            difference <= (format.losslessTolerance ?? 0) + 1e-7, "max difference \(difference)")
    }

    @Test(
        "six channels are averaged to mono",
        arguments: [AudioFileFormat.wavFloat, .flac, .oggVorbis])
    func sixChannelDownmix(format: AudioFileFormat) throws {
        // The sixth channel is the LFE in 5.1 layouts, which Vorbis low-passes: a bass tone.
        let frequencies: [Double] = [220, 330, 440, 550, 660, 55]
        let channels = frequencies.enumerated().map { channel, frequency in
            AudioTestSignals.sine(
                frequency: frequency, amplitude: 0.1 * Double(channel + 1), sampleRate: 48_000,
                seconds: 0.5)
        }
        let url = directory.file("surround.\(format.fileExtension)")
        try AudioEncoder.write(
            AudioTestSignals.interleave(channels), channelCount: 6, sampleRate: 48_000,
            format: format, to: url)
        let info = try AudioDecoder.info(of: url)
        #expect(info.channelCount == 6)
        let mono = try AudioDecoder.read(url).samples
        let expected = (0..<channels[0].count).map { frame in
            Float(channels.reduce(0.0) { $0 + Double($1[frame]) } / 6)
        }
        #expect(mono.count == expected.count)
        if let tolerance = format.losslessTolerance {
            let difference = AudioTestSignals.maximumDifference(mono[...], expected[...])
            #expect(difference <= tolerance + 1e-6, "max difference \(difference)")
        } else {
            let correlation = AudioTestSignals.correlation(
                mono[4_800..<19_200], expected[4_800..<19_200])
            #expect(correlation > 0.99, "correlation \(correlation)")
        }
    }

    @Test(
        "8 kHz and 192 kHz files keep their rate and tone",
        arguments: [
            (8_000, AudioFileFormat.wavPCM16), (8_000, .flac), (192_000, .wavPCM24),
            (192_000, .flac),
        ])
    func extremeSampleRates(sampleRate: Int, format: AudioFileFormat) throws {
        let sine = AudioTestSignals.sine(sampleRate: sampleRate, seconds: 0.5)
        let url = directory.file("rate.\(format.fileExtension)")
        try AudioEncoder.write(sine, sampleRate: sampleRate, format: format, to: url)
        let clip = try AudioDecoder.read(url)
        #expect(clip.sampleRate == sampleRate)
        #expect(clip.samples.count == sine.count)
        let frequency = AudioTestSignals.zeroCrossingFrequency(
            clip.samples[...], sampleRate: sampleRate)
        #expect(abs(frequency - 440) < 0.5, "\(frequency) Hz")
    }
}
