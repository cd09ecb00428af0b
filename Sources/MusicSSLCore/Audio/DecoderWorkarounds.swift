import CSndFile

/// What ``AudioFileReader`` does in each format so that a window decodes exactly the samples a
/// read from the start would, and a full read returns the length libsndfile reports: the
/// workarounds for libsndfile 1.2.0's lossy decoders.
///
/// Measured with windows of chords and noise against full reads (AudioWindowTests):
/// - MP3: a frame may draw on bits stored in earlier frames (the bit reservoir), which a seek
///   does not restore; the first ~3,000 samples after a seek were wrong until four 1,152-sample
///   frames were decoded first. Without a LAME/Xing length tag (constant bit rate from sox, or
///   libsndfile's own CBR at 22.05 kHz), libsndfile estimates the length from the file size and
///   promised 110 to 625 frames more than decode.
/// - Vorbis: the first few hundred samples after a seek were wrong (the overlap of the first
///   block is not primed), and a seek into the final page lands early (its granule position is
///   end-trimmed): 631 frames early in our test.
/// - WAV, FLAC and Opus seeks were exact.
struct DecoderWorkarounds: Sendable {
    /// Frames decoded and discarded before a window, so the decoder's state is primed.
    let prerollFrames: Int
    /// Granule units per second when seeks must stay out of an Ogg stream's final page; nil
    /// for other formats.
    let oggGranuleRate: Int?
    /// Frames the stream may end short of the reported length; a read reaching the end fills
    /// them with silence (MP3's estimated lengths cover encoder padding, which is silent).
    let endShortfallToleranceFrames: Int

    /// Eight MP3 frames: twice the four measured, and sixteen of MPEG-2's half-length frames.
    static let mpegPrerollFrames = 8 * 1_152
    /// Two MP3 frames: the estimate overshot by less than one in every case measured.
    static let mpegEndShortfallToleranceFrames = 2 * 1_152
    /// Twice libvorbis's long block at 44.1 kHz; Opus asks for 80 ms (3,840 frames at 48 kHz).
    static let oggPrerollFrames = 4_096

    /// The strategy for libsndfile's `format` bits at `sampleRate` Hz.
    init(format: Int32, sampleRate: Int) {
        let container = Int(format) & Int(SF_FORMAT_TYPEMASK)
        let encoding = Int(format) & Int(SF_FORMAT_SUBMASK)
        switch (container, encoding) {
        case (Int(SF_FORMAT_MPEG), _):
            prerollFrames = Self.mpegPrerollFrames
            oggGranuleRate = nil
            endShortfallToleranceFrames = Self.mpegEndShortfallToleranceFrames
        case (Int(SF_FORMAT_OGG), Int(SF_FORMAT_VORBIS)):
            prerollFrames = Self.oggPrerollFrames
            oggGranuleRate = sampleRate
            endShortfallToleranceFrames = 0
        case (Int(SF_FORMAT_OGG), Int(SF_FORMAT_OPUS)):
            prerollFrames = Self.oggPrerollFrames
            // Opus granule positions always count 48 kHz samples.
            oggGranuleRate = 48_000
            endShortfallToleranceFrames = 0
        default:
            prerollFrames = 0
            oggGranuleRate = nil
            endShortfallToleranceFrames = 0
        }
    }

    /// The frame to seek to for a window at `startFrame`: `prerollFrames` earlier, and before
    /// `finalPageStartFrame` when there is one.
    func seekFrame(for startFrame: Int, finalPageStartFrame: Int?) -> Int {
        let target = min(startFrame, finalPageStartFrame ?? startFrame)
        return max(0, target - prerollFrames)
    }

    /// The first frame of an Ogg stream's final page, from the file's `tail` bytes; nil when
    /// this is not an Ogg stream or the tail does not parse (a cut stream).
    func finalPageStartFrame(
        tail: [UInt8], frameCount: Int, sampleRate: Int
    ) -> Int? {
        guard let oggGranuleRate, let span = OggFinalPage.granuleSpan(inTail: tail) else {
            return nil
        }
        // Rounded up to whole frames at the decoding rate, so the page start is never passed.
        let frames = (span * sampleRate + oggGranuleRate - 1) / oggGranuleRate
        return max(0, frameCount - frames)
    }
}
