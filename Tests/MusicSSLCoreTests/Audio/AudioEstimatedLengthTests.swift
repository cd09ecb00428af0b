import CSndFile
import Foundation
import MusicSSLTestSupport
import Testing

/// MP3 files without a LAME/Xing length tag: libsndfile estimates their length from the file
/// size and promises a few hundred frames more than decode. Reads still return the promised
/// length, with the missing end as silence.
@Suite("Audio MP3 estimated lengths")
struct AudioEstimatedLengthTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// A constant-bit-rate MP3 written with libsndfile directly (``AudioEncoder`` keeps
    /// libsndfile's default mode), its "Info" length tag overwritten when `stripsTag` is set.
    private func constantBitRateMP3(
        _ samples: [Float], sampleRate: Int, stripsTag: Bool
    ) throws -> URL {
        let url = directory.file("cbr-\(sampleRate).mp3")
        var header = SF_INFO()
        header.samplerate = Int32(sampleRate)
        header.channels = 1
        header.format = Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III)
        let handle = try #require(sf_open(url.path, Int32(SFM_WRITE), &header))
        var mode = Int32(SF_BITRATE_MODE_CONSTANT)
        #expect(sf_command(handle, Int32(SFC_SET_BITRATE_MODE), &mode, 4) == 0)
        var samples = samples
        #expect(sf_writef_float(handle, &samples, sf_count_t(samples.count)) == samples.count)
        #expect(sf_close(handle) == 0)
        if stripsTag {
            var bytes = try Data(contentsOf: url)
            let tag = try #require(bytes.range(of: Data("Info".utf8)))
            bytes.replaceSubrange(tag, with: Data("Zzzz".utf8))
            try bytes.write(to: url)
        }
        return url
    }

    @Test(
        "the promised length is read, ending in silence",
        arguments: [(44_100, true), (22_050, false)])
    func estimatedLength(sampleRate: Int, stripsTag: Bool) throws {
        let sine = AudioTestSignals.sine(sampleRate: sampleRate, seconds: 3)
        let url = try constantBitRateMP3(sine, sampleRate: sampleRate, stripsTag: stripsTag)
        let reader = try AudioFileReader(url)
        let frameCount = reader.info.frameCount
        // Encoder delay and padding: the estimate exceeds what was written.
        #expect(frameCount > sine.count && frameCount < sine.count + 4 * 1_152)
        let full = try reader.read().samples
        #expect(full.count == frameCount)
        let middle = full[sampleRate / 2..<sampleRate * 5 / 2]
        // LAME's constant-bit-rate mode lowers this tone by about 5 %; sox and `lame --decode`
        // measure the same on such files.
        #expect(abs(AudioTestSignals.rms(middle) / (0.5 / 2.0.squareRoot()) - 1) < 0.1)
        let frequency = AudioTestSignals.zeroCrossingFrequency(middle, sampleRate: sampleRate)
        #expect(abs(frequency - 440) < 1, "\(frequency) Hz")
        #expect(full.suffix(100).allSatisfy { $0 == 0 }, "the missing end is silence")
        for start in [12_345, frameCount - 3_000, frameCount - 10] {
            let count = min(5_000, frameCount - start)
            let window = try reader.read(startFrame: start, frameCount: count).samples
            let difference = AudioTestSignals.maximumDifference(window[...], full[start...])
            #expect(
                window.count == count && difference <= 1e-6, "window at \(start): \(difference)")
        }
    }
}
