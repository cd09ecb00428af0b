import Foundation

/// What an audio file's header says: its format, native sample rate, channels and length.
public struct AudioFileInfo: Sendable, Equatable, Codable {
    /// The file's path as given.
    public let path: String
    /// The container and encoding in words, e.g. `"FLAC PCM 16-bit"`, `"Ogg Vorbis"`, `"MP3"`.
    public let format: String
    /// Native sample rate in Hz.
    public let sampleRate: Int
    /// Channels in the file (before the decoder's downmix to mono).
    public let channelCount: Int
    /// Frames (samples per channel) as libsndfile reports them, or as counted by decoding when
    /// it cannot tell (an Ogg stream cut before its last page). For MP3 this depends on the
    /// encoder's padding and on whether the file carries a LAME/Xing length tag.
    public let frameCount: Int

    /// Creates the description of a file, e.g. from a cached duration index.
    public init(path: String, format: String, sampleRate: Int, channelCount: Int, frameCount: Int) {
        self.path = path
        self.format = format
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.frameCount = frameCount
    }

    /// The length in seconds, `frameCount / sampleRate`.
    public var durationSeconds: Double { Double(frameCount) / Double(sampleRate) }
}

extension AudioFileInfo: CustomStringConvertible {
    /// One line for listings: `FLAC PCM 16-bit, 44100 Hz, 2 channels, 3:25.403 (9062278 frames)`.
    public var description: String {
        let channels = channelCount == 1 ? "1 channel" : "\(channelCount) channels"
        return "\(format), \(sampleRate) Hz, \(channels), \(Self.clock(durationSeconds)) "
            + "(\(frameCount) frames)"
    }

    /// `m:ss.mmm`, or `h:mm:ss.mmm` from an hour on.
    private static func clock(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1_000).rounded())
        let (hours, minutes) = (milliseconds / 3_600_000, milliseconds / 60_000 % 60)
        let secondsPart = String(
            format: "%02d.%03d", milliseconds / 1_000 % 60, milliseconds % 1_000)
        return hours > 0
            ? String(format: "%d:%02d:", hours, minutes) + secondsPart
            : "\(minutes):" + secondsPart
    }
}
