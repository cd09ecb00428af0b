import Foundation
import MusicSSLCore

/// Kaldi MFCC with deltas (39 or 60 values) of 16 kHz audio at 100 frames per second, as
/// fairseq's `dump_mfcc_feature.py` computes HuBERT's iteration-1 features: each file is
/// decoded, mixed to mono and resampled to 16 kHz first (`SincResampler`, torchaudio's
/// windowed-sinc resampling: a 30-s clip in about a millisecond, where libsamplerate's best
/// filter takes half a second, which made labelling hours of 44.1-kHz music resampling-bound).
public struct MFCCFrameFeatures: FrameFeatureSource {
    /// The rate the audio is resampled to, 16 kHz.
    public static let sampleRate = 16_000

    /// 39 (13 cepstra + Δ + ΔΔ) or 60 (20 + Δ + ΔΔ) values per frame.
    public let variant: MFCCVariant
    private let mfcc: KaldiMFCC

    /// Features of the given recipe.
    public init(_ variant: MFCCVariant) throws {
        self.variant = variant
        mfcc = try KaldiMFCC(variant)
    }

    /// `mfcc39` or `mfcc60`.
    public var kind: ClusterFeatureKind { .mfcc(variant) }
    /// 39 or 60.
    public var dimensions: Int { variant.dimensions }
    /// 100 Hz (a 10 ms frame shift).
    public var frameRate: Double { 100 }

    /// `[frames, dimensions]` with frames = 1 + ⌊(N − 400) / 160⌋ for N samples at 16 kHz.
    public func features(of file: AudioCorpus.File) throws -> Tensor {
        try features(of: AudioDecoder.read(file.url))
    }

    /// The features of a decoded clip at any rate.
    public func features(of clip: AudioClip) throws -> Tensor {
        let samples = try SincResampler().resample(
            clip.samples, from: clip.sampleRate, to: Self.sampleRate)
        return try mfcc(samples, sampleRate: Self.sampleRate)
    }
}
