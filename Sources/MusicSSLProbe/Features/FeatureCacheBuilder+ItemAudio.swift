import Foundation
import MusicSSLCore

extension FeatureCacheBuilder.Item {
    /// The item's mono waveform at `sampleRate`: only its region when it has one, read by
    /// seeking rather than decoding the whole file.
    ///
    /// - Throws: `AudioError` for a file that does not decode or a region outside it, and
    ///   `ResamplerError`.
    public func waveform(sampleRate: Int, resampling: FeatureResampling) throws -> [Float] {
        let clip: AudioClip
        if let region {
            let info = try AudioDecoder.info(of: url)
            let rate = Double(info.sampleRate)
            let start = Int((region.startSeconds * rate).rounded())
            guard region.startSeconds >= 0, region.durationSeconds > 0, start < info.frameCount
            else {
                throw AudioError(
                    path: url.path,
                    .invalidArgument(
                        "region from \(region.startSeconds) s for \(region.durationSeconds) s lies outside the file's \(info.durationSeconds) s"
                    ))
            }
            let count = min(Int((region.durationSeconds * rate).rounded()), info.frameCount - start)
            clip = try AudioDecoder.read(url, startFrame: start, frameCount: count)
        } else {
            clip = try AudioDecoder.read(url)
        }
        return try resampling.resample(clip.samples, from: clip.sampleRate, to: sampleRate)
    }
}
