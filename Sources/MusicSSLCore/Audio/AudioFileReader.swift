import CSndFile
import Foundation

/// One audio file kept open for repeated windowed reads, each decoded to mono Float32.
///
/// A window is reached by seeking (`sf_seek`), so reading 5 s from a one-hour file decodes
/// about 5 s of it: ``bytesRead`` counts what libsndfile actually pulled from disk.
///
/// ```swift
/// let reader = try AudioFileReader(url)
/// let crop = try reader.read(startFrame: 44_100 * 60, frameCount: 44_100 * 5)
/// ```
///
/// Not thread-safe: a reader holds one decoder position. Give each thread its own.
public final class AudioFileReader {
    /// The file's format, native rate, channel count and length.
    public let info: AudioFileInfo
    private let source: CountingFileSource
    private let handle: OpaquePointer
    /// How windows are reached exactly, and how short the end may fall, in this format.
    private let workarounds: DecoderWorkarounds
    /// The first frame of an Ogg stream's final page, found on the first read that needs it:
    /// `.some(nil)` when there is none.
    private var finalPageStartFrame: Int??
    /// The most frames a read reserves up front (64 MB of samples) unless the file has more
    /// bytes than that; longer reads grow.
    private static let maximumReservedFrames = 1 << 24
    /// Frames reserved past a read's length, for padding appended in place.
    private static let spareFrames = 64

    /// Opens `url` and reads its header.
    ///
    /// - Throws: ``AudioError`` naming the file: `.missing`, `.notAFile`, `.unreadable`,
    ///   `.unsupportedFormat` (e.g. random bytes), `.corrupt`, or `.empty` (zero bytes or zero
    ///   frames).
    public init(_ url: URL) throws {
        let path = url.path
        source = try CountingFileSource(path: path)
        var virtualIO = CountingFileSource.virtualIO
        var header = SF_INFO()
        guard
            let handle = sf_open_virtual(
                &virtualIO, Int32(SFM_READ), &header,
                Unmanaged.passUnretained(source).toOpaque())
        else {
            throw AudioError(path: path, Self.openFailure())
        }
        self.handle = handle
        // A failing init does not run deinit, so close before throwing.
        do {
            let frameCount = try Self.frameCount(of: handle, header: header, path: path)
            info = AudioFileInfo(
                path: path, format: SoundFileFormatName.name(of: header.format),
                sampleRate: Int(header.samplerate), channelCount: Int(header.channels),
                frameCount: frameCount)
        } catch {
            sf_close(handle)
            throw error
        }
        workarounds = DecoderWorkarounds(format: header.format, sampleRate: info.sampleRate)
    }

    /// The length libsndfile reports, validated; counted by decoding when libsndfile cannot tell
    /// (an Ogg stream cut before its last page), which leaves the file its readable prefix.
    private static func frameCount(
        of handle: OpaquePointer, header: SF_INFO, path: String
    ) throws -> Int {
        guard header.samplerate > 0, header.channels > 0, header.frames >= 0 else {
            throw AudioError(
                path: path,
                .corrupt(
                    "header gives \(header.samplerate) Hz, \(header.channels) channels, "
                        + "\(header.frames) frames"))
        }
        var frameCount = Int(header.frames)
        if header.frames == sf_count_t.max {
            // libsndfile reads from wherever its length search left the stream.
            guard sf_seek(handle, 0, SEEK_SET) == 0 else {
                throw AudioError(
                    path: path,
                    .corrupt("cannot seek to the start: \(String(cString: sf_strerror(handle)))"))
            }
            frameCount = 0
            var scratch = [Float](repeating: 0, count: 4_096 * Int(header.channels))
            while true {
                let decoded = Int(sf_readf_float(handle, &scratch, 4_096))
                guard decoded > 0 else { break }
                frameCount += decoded
            }
            guard sf_seek(handle, 0, SEEK_SET) == 0 else {
                throw AudioError(
                    path: path,
                    .corrupt(
                        "cannot rewind after counting: \(String(cString: sf_strerror(handle)))"))
            }
        }
        guard frameCount > 0 else { throw AudioError(path: path, .empty) }
        return frameCount
    }

    deinit { sf_close(handle) }

    /// Bytes read from the file since it was opened: the header, and whatever the reads so far
    /// needed.
    public var bytesRead: Int { source.bytesRead }

    /// Decodes `frameCount` frames from `startFrame` (to the end of the file when nil) and
    /// averages the channels to mono.
    ///
    /// Integer and compressed formats come back in [-1, 1] (libsndfile's normalisation); float
    /// files come back as stored. A read returns exactly the frames asked for or throws.
    ///
    /// Truncated files: when decoding ends before the length the header declares (a cut FLAC,
    /// or an MP3 with a length tag), a read reaching past the intact part throws `.truncated`
    /// and windows inside it decode normally. A cut WAV (or other PCM container) reads as its
    /// intact prefix, since libsndfile takes its length from the file size; so does an Ogg
    /// stream cut before its last page, whose length the reader counts when it opens. An MP3
    /// whose length libsndfile estimated may end up to two MP3 frames (2,304 samples) short;
    /// those are returned as silence.
    ///
    /// - Parameters:
    ///   - startFrame: First frame, in [0, info.frameCount].
    ///   - frameCount: Frames to decode, at most `info.frameCount - startFrame`.
    ///   - nonFiniteSamples: What to do with NaN or infinite samples.
    /// - Returns: [frameCount] mono samples at ``AudioFileInfo/sampleRate``.
    /// - Throws: ``AudioError`` `.invalidRange`, `.corrupt` (a failed seek or decode),
    ///   `.truncated`, or `.nonFiniteSample` naming the first bad frame.
    public func read(
        startFrame: Int = 0, frameCount: Int? = nil,
        nonFiniteSamples: NonFiniteSampleHandling = .reject
    ) throws -> AudioClip {
        let count = frameCount ?? max(0, info.frameCount - startFrame)
        guard startFrame >= 0, count >= 0, startFrame <= info.frameCount,
            count <= info.frameCount - startFrame
        else {
            throw error(
                .invalidRange(
                    startFrame: startFrame, frameCount: count, fileFrameCount: info.frameCount))
        }
        guard count > 0 else { return AudioClip(samples: [], sampleRate: info.sampleRate) }
        let seekFrame = workarounds.seekFrame(
            for: startFrame, finalPageStartFrame: startFrame > 0 ? oggFinalPageStart() : nil)
        let preroll = startFrame - seekFrame
        guard sf_seek(handle, sf_count_t(seekFrame), SEEK_SET) == seekFrame else {
            throw error(.corrupt("seeking to frame \(seekFrame) failed: \(libraryMessage)"))
        }
        var samples = [Float]()
        // Capped: a corrupt header may promise far more frames than the file holds. Up to one
        // frame per byte of the file is believed (PCM and FLAC hold fewer), so a long WAV or FLAC
        // is decoded into one allocation: growing by doubling instead held up to three times the
        // samples while the last copy was made (1.5 GB for an hour of 44.1 kHz audio). Reserved
        // pages that are never written take no memory.
        // The spare frames take a resampler's padding (Resampler.resample) without a copy.
        samples.reserveCapacity(
            min(preroll + count, max(Self.maximumReservedFrames, source.byteCount)) + Self.spareFrames)
        decode(preroll + count, into: &samples)
        let shortfall = preroll + count - samples.count
        let decodedEnd = seekFrame + samples.count
        if shortfall > 0, sf_error(handle) == 0,
            info.frameCount - decodedEnd <= workarounds.endShortfallToleranceFrames
        {
            samples.append(contentsOf: repeatElement(0, count: shortfall))
        }
        guard samples.count == preroll + count else {
            let decoded = max(0, samples.count - preroll)
            if sf_error(handle) != 0 {
                throw error(
                    .corrupt("decoding failed at frame \(startFrame + decoded): \(libraryMessage)"))
            }
            throw error(
                .truncated(startFrame: startFrame, expectedFrames: count, decodedFrames: decoded))
        }
        samples.removeFirst(preroll)
        try screenNonFinite(&samples, startFrame: startFrame, handling: nonFiniteSamples)
        return AudioClip(samples: samples, sampleRate: info.sampleRate)
    }

    /// Throws on the first NaN or infinite sample, or zeroes every such sample.
    private func screenNonFinite(
        _ samples: inout [Float], startFrame: Int, handling: NonFiniteSampleHandling
    ) throws {
        guard let bad = samples.firstIndex(where: { !$0.isFinite }) else { return }
        switch handling {
        case .reject:
            throw error(.nonFiniteSample(frame: startFrame + bad))
        case .replaceWithZero:
            for index in bad..<samples.count where !samples[index].isFinite {
                samples[index] = 0
            }
        }
    }

    /// Appends up to `count` mono frames from the current position, in chunks, stopping early
    /// at the end of the decodable data.
    private func decode(_ count: Int, into samples: inout [Float]) {
        let channelCount = info.channelCount
        let chunkFrames = max(1, 65_536 / channelCount)
        var interleaved = [Float](repeating: 0, count: chunkFrames * channelCount)
        while samples.count < count {
            let wanted = min(chunkFrames, count - samples.count)
            let decoded = interleaved.withUnsafeMutableBufferPointer { buffer in
                Int(sf_readf_float(handle, buffer.baseAddress, sf_count_t(wanted)))
            }
            guard decoded > 0 else { return }
            interleaved.withUnsafeBufferPointer { buffer in
                Self.appendMono(
                    buffer, frameCount: decoded, channelCount: channelCount, to: &samples)
            }
        }
    }

    /// Appends the channel average of `frameCount` interleaved frames.
    private static func appendMono(
        _ interleaved: UnsafeBufferPointer<Float>, frameCount: Int, channelCount: Int,
        to samples: inout [Float]
    ) {
        if channelCount == 1 {
            samples.append(contentsOf: interleaved[0..<frameCount])
            return
        }
        let divisor = Float(channelCount)
        for frame in 0..<frameCount {
            let base = frame * channelCount
            var sum: Float = 0
            for channel in 0..<channelCount { sum += interleaved[base + channel] }
            samples.append(sum / divisor)
        }
    }

    /// The cached first frame of an Ogg stream's final page; reads the file's tail once.
    private func oggFinalPageStart() -> Int? {
        if let cached = finalPageStartFrame { return cached }
        var start: Int?
        if workarounds.oggGranuleRate != nil {
            for byteCount in [OggFinalPage.typicalTailByteCount, OggFinalPage.maximumTailByteCount]
            {
                start = workarounds.finalPageStartFrame(
                    tail: source.tail(byteCount), frameCount: info.frameCount,
                    sampleRate: info.sampleRate)
                if start != nil { break }
            }
        }
        finalPageStartFrame = .some(start)
        return start
    }

    private var libraryMessage: String { String(cString: sf_strerror(handle)) }

    private func error(_ reason: AudioError.Reason) -> AudioError {
        AudioError(path: info.path, reason)
    }

    /// Classifies the failure of the last `sf_open*` call by libsndfile's error code.
    private static func openFailure() -> AudioError.Reason {
        // libsndfile keeps the last open error in a process-wide slot, read with a nil handle.
        let message = String(cString: sf_strerror(nil))
        switch Int(sf_error(nil)) {
        case SF_ERR_UNRECOGNISED_FORMAT, SF_ERR_UNSUPPORTED_ENCODING:
            return .unsupportedFormat(message)
        case SF_ERR_SYSTEM:
            return .unreadable(message)
        default:
            return .corrupt(message)
        }
    }
}
