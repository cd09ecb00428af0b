import ArgumentParser
import MusicSSLCore

/// The features `msl features` computes.
enum FeatureKind: String, CaseIterable, ExpressibleByArgument {
    case mfcc, fbank, mel, cqt
}

/// The MFCC recipe of `msl features mfcc --variant`.
enum FeatureVariant: String, CaseIterable, ExpressibleByArgument {
    /// HuBERT's labels: 13 Kaldi cepstra + Δ + ΔΔ.
    case kaldi39
    /// MusicHuBERT's "MFCC 60" ablation: 20 Kaldi cepstra + Δ + ΔΔ.
    case kaldi60
    /// `librosa.feature.mfcc` defaults: 20 coefficients.
    case librosa
}

/// One feature transform at one sample rate, applied to decoded clips: the clip is resampled
/// to ``sampleRate`` when its own rate differs, then transformed to `[frames, dimensions]`.
struct FeatureRecipe: CustomStringConvertible {
    /// The rate the transform runs at, in Hz.
    let sampleRate: Int
    /// What the transform is, in words, e.g. `Kaldi MFCC-39 at 16000 Hz`.
    let description: String
    private let transform: ([Float]) throws -> Tensor
    private let resampler = Resampler()

    /// Builds the transform; the kernels of the CQT and the filterbanks are made once here.
    ///
    /// - Parameters:
    ///   - kind: The feature.
    ///   - variant: The MFCC recipe (mfcc only; nil means ``FeatureVariant/kaldi39``).
    ///   - sampleRate: The rate to run at; nil means the feature's usual rate: 16 kHz for
    ///     Kaldi features (HuBERT), 22.05 kHz for librosa's (its default `sr`), 24 kHz for the
    ///     CQT (MERT).
    /// - Throws: ``TensorError`` when the transform cannot run at `sampleRate` (e.g. a CQT
    ///   whose top bin is above the Nyquist frequency).
    init(kind: FeatureKind, variant: FeatureVariant?, sampleRate requested: Int?) throws {
        let name: String
        switch (kind, variant ?? .kaldi39) {
        case (.mfcc, .kaldi39), (.mfcc, .kaldi60):
            let rate = requested ?? 16_000
            let mfcc = try KaldiMFCC(variant == .kaldi60 ? .kaldi60 : .kaldi39)
            sampleRate = rate
            name = "Kaldi MFCC-\(mfcc.dimensions)"
            transform = { try mfcc($0, sampleRate: rate) }
        case (.mfcc, .librosa):
            sampleRate = requested ?? 22_050
            let mfcc = try LibrosaMFCC(sampleRate: Double(sampleRate))
            name = "librosa MFCC-\(mfcc.coefficientCount)"
            transform = { try mfcc($0) }
        case (.fbank, _):
            let rate = requested ?? 16_000
            let fbank = try KaldiFbank()
            sampleRate = rate
            name = "Kaldi fbank-\(fbank.dimensions)"
            transform = { try fbank($0, sampleRate: rate) }
        case (.mel, _):
            sampleRate = requested ?? 22_050
            let mel = try LibrosaMelSpectrogram(sampleRate: Double(sampleRate))
            let decibels = PowerToDecibels()
            name = "librosa log-mel-\(mel.melCount) (dB)"
            transform = { try decibels(mel($0)) }
        case (.cqt, _):
            var configuration = CQTConfiguration.mert
            configuration.sampleRate = requested ?? configuration.sampleRate
            sampleRate = configuration.sampleRate
            let cqt = try ConstantQTransform(configuration: configuration)
            name = "MERT CQT-\(configuration.binCount) magnitude, hop \(configuration.hopLength)"
            transform = { try cqt($0) }
        }
        description = "\(name) at \(sampleRate) Hz"
    }

    /// The features of `clip`, resampled first if needed.
    ///
    /// - Returns: [frames, dimensions]
    /// - Throws: ``ResamplerError`` or the transform's ``TensorError``.
    func features(of clip: AudioClip) throws -> Tensor {
        let samples =
            clip.sampleRate == sampleRate
            ? clip.samples
            : try resampler.resample(clip.samples, from: clip.sampleRate, to: sampleRate)
        return try transform(samples)
    }
}
