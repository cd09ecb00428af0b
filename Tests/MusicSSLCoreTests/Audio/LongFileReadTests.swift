import Foundation
import MusicSSLTestSupport
import Testing

/// A whole-file read of a long recording takes one allocation of its length: growing the
/// sample array by doubling held up to three times the samples while the last copy was made
/// (1.5 GB peak for an hour of 44.1 kHz audio; Benchmarks/resource_bounds.sh measures it).
@Suite("Long audio files")
struct LongFileReadTests {
    @Test("a whole-file read of 2^24 + 2^20 frames reserves their number, not the next power of two")
    func reservation() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("long.wav")
        // A 16 kHz mono 16-bit WAV of silence, the data left as a hole in a sparse file.
        let frames = (1 << 24) + (1 << 20)
        var header = Data()
        func le32(_ value: Int) { withUnsafeBytes(of: UInt32(value).littleEndian) { header.append(contentsOf: $0) } }
        func le16(_ value: Int) { withUnsafeBytes(of: UInt16(value).littleEndian) { header.append(contentsOf: $0) } }
        header.append(contentsOf: Array("RIFF".utf8)); le32(36 + 2 * frames)
        header.append(contentsOf: Array("WAVEfmt ".utf8)); le32(16)
        le16(1); le16(1); le32(16_000); le32(32_000); le16(2); le16(16)
        header.append(contentsOf: Array("data".utf8)); le32(2 * frames)
        try header.write(to: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(header.count + 2 * frames))
        try handle.close()

        let clip = try AudioDecoder.read(url)
        #expect(clip.samples.count == frames)
        // Doubling from the 2^24-frame cap would end at a capacity of 2^25.
        #expect(clip.samples.capacity < 1 << 25, "capacity \(clip.samples.capacity) for \(frames) frames")
        // With room for Resampler's padding (a few frames), so it appends without a copy.
        #expect(clip.samples.capacity >= frames + 8)
    }
}
