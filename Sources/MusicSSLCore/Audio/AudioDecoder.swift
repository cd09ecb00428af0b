import Foundation

/// Reads audio files through libsndfile: WAV (PCM 8/16/24/32-bit and float), FLAC, Ogg Vorbis,
/// Ogg Opus, MP3 and every other format Debian's libsndfile 1.2 decodes.
///
/// Samples come back as mono Float32 at the file's native rate; resample separately.
/// To crop many windows from one file, keep an ``AudioFileReader`` open instead.
public enum AudioDecoder {
    /// The header of the file at `url`: format, native sample rate, channels, length.
    ///
    /// - Throws: ``AudioError`` naming the file and the reason.
    public static func info(of url: URL) throws -> AudioFileInfo {
        try AudioFileReader(url).info
    }

    /// Decodes a window of the file at `url` to mono by averaging its channels.
    ///
    /// Only the window is decoded: the reader seeks to `startFrame` (`sf_seek`) rather than
    /// decoding from the start.
    ///
    /// - Parameters:
    ///   - startFrame: First frame, at the native rate.
    ///   - frameCount: Frames to decode; nil to read to the end.
    ///   - nonFiniteSamples: What to do with NaN or infinite samples (default: throw).
    /// - Returns: [frameCount] samples at the native rate.
    /// - Throws: ``AudioError`` naming the file and the reason; see
    ///   ``AudioFileReader/read(startFrame:frameCount:nonFiniteSamples:)``.
    public static func read(
        _ url: URL, startFrame: Int = 0, frameCount: Int? = nil,
        nonFiniteSamples: NonFiniteSampleHandling = .reject
    ) throws -> AudioClip {
        try AudioFileReader(url).read(
            startFrame: startFrame, frameCount: frameCount, nonFiniteSamples: nonFiniteSamples)
    }
}
