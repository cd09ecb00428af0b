import CSndFile
import Foundation

/// Writes audio files through libsndfile, for tests, fixtures and exported clips.
public enum AudioEncoder {
    /// Sample rates Opus encodes at.
    static let opusSampleRates: Set<Int> = [8_000, 12_000, 16_000, 24_000, 48_000]
    /// Frames handed to libsndfile per call.
    static let chunkFrames = 65_536

    /// Writes `samples` to `url` in `format`, atomically: the data goes to a hidden temporary
    /// sibling that is renamed over `url` once complete, so `url` never holds a partial file.
    ///
    /// Samples outside [-1, 1] are clipped for integer and compressed formats (libsndfile's
    /// `SFC_SET_CLIPPING`) and stored as given in float WAV.
    ///
    /// - Parameters:
    ///   - samples: [frames × channelCount] interleaved samples, nominally in [-1, 1]; may be
    ///     empty (a valid file with zero frames).
    ///   - channelCount: Interleaved channels.
    ///   - sampleRate: In Hz; Opus takes 8, 12, 16, 24 or 48 kHz, MP3 the nine MPEG rates from
    ///     8 to 48 kHz.
    ///   - format: Container and encoding.
    ///   - url: Destination; replaced if it exists.
    /// - Throws: ``AudioError`` naming `url`: `.invalidArgument` for a bad channel count, rate or
    ///   sample count, `.nonFiniteSample` for NaN or infinity, `.writeFailed` with libsndfile's
    ///   or the system's reason.
    public static func write(
        _ samples: [Float], channelCount: Int = 1, sampleRate: Int, format: AudioFileFormat,
        to url: URL
    ) throws {
        let path = url.path
        if let reason = validate(
            samples, channelCount: channelCount, sampleRate: sampleRate, format: format)
        {
            throw AudioError(path: path, reason)
        }
        // Same directory, so the rename cannot cross file systems; hidden and unique, so a
        // directory scan never mistakes it for a finished file.
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial").path
        let descriptor = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw AudioError(
                path: path, .writeFailed("open \(temporary): \(String(cString: strerror(errno)))"))
        }
        var isRenamed = false
        defer { if !isRenamed { unlink(temporary) } }
        do {
            try encode(
                samples, channelCount: channelCount, sampleRate: sampleRate, format: format,
                descriptor: descriptor, path: path)
            guard fsync(descriptor) == 0 else { throw systemFailure("fsync", path: path) }
        } catch {
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else { throw systemFailure("close", path: path) }
        guard rename(temporary, path) == 0 else { throw systemFailure("rename", path: path) }
        isRenamed = true
    }

    /// Encodes into the open `descriptor` with libsndfile, which leaves it open.
    private static func encode(
        _ samples: [Float], channelCount: Int, sampleRate: Int, format: AudioFileFormat,
        descriptor: Int32, path: String
    ) throws {
        var header = SF_INFO()
        header.samplerate = Int32(sampleRate)
        header.channels = Int32(channelCount)
        header.format = format.soundFileFormat
        guard sf_format_check(&header) != 0 else {
            throw AudioError(
                path: path,
                .invalidArgument(
                    "\(format) cannot hold \(channelCount) channels at \(sampleRate) Hz"))
        }
        guard let handle = sf_open_fd(descriptor, Int32(SFM_WRITE), &header, Int32(SF_FALSE))
        else {
            throw AudioError(path: path, .writeFailed(String(cString: sf_strerror(nil))))
        }
        // Without clipping, libsndfile wraps out-of-range floats around in integer formats.
        sf_command(handle, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        let frameCount = samples.count / channelCount
        // In chunks: libvorbis crashed (SIGSEGV) when handed ten minutes in one call.
        var written = 0
        samples.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            while written < frameCount {
                let chunk = min(chunkFrames, frameCount - written)
                let result = Int(
                    sf_writef_float(handle, base + written * channelCount, sf_count_t(chunk)))
                written += max(0, result)
                guard result == chunk else { return }
            }
        }
        let writeMessage = String(cString: sf_strerror(handle))
        let closeStatus = sf_close(handle)
        guard written == frameCount else {
            throw AudioError(
                path: path,
                .writeFailed("wrote \(written) of \(frameCount) frames: \(writeMessage)"))
        }
        guard closeStatus == 0 else {
            throw AudioError(
                path: path, .writeFailed(String(cString: sf_error_number(closeStatus))))
        }
    }

    /// What is wrong with the arguments, or nil.
    private static func validate(
        _ samples: [Float], channelCount: Int, sampleRate: Int, format: AudioFileFormat
    ) -> AudioError.Reason? {
        guard channelCount >= 1 else {
            return .invalidArgument("channel count must be positive, got \(channelCount)")
        }
        guard sampleRate >= 1, sampleRate <= Int(Int32.max) else {
            return .invalidArgument("sample rate must be positive, got \(sampleRate)")
        }
        guard samples.count % channelCount == 0 else {
            return .invalidArgument(
                "\(samples.count) samples are not a whole number of \(channelCount)-channel frames")
        }
        if format == .oggOpus, !opusSampleRates.contains(sampleRate) {
            return .invalidArgument("Opus encodes at 8, 12, 16, 24 or 48 kHz, not \(sampleRate) Hz")
        }
        if let bad = samples.firstIndex(where: { !$0.isFinite }) {
            return .nonFiniteSample(frame: bad / channelCount)
        }
        return nil
    }

    private static func systemFailure(_ call: String, path: String) -> AudioError {
        AudioError(path: path, .writeFailed("\(call): \(String(cString: strerror(errno)))"))
    }
}
