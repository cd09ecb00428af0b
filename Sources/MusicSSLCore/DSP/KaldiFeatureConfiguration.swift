/// Options of Kaldi's filterbank and MFCC features, named after Kaldi's and defaulting to
/// `torchaudio.compliance.kaldi.mfcc(waveform, sample_frequency=rate, use_energy=False)`.
///
/// The options not listed are fixed at the torchaudio defaults that HuBERT's label pipeline
/// (fairseq `dump_mfcc_feature.py`) uses: no dither, snip edges (only whole frames), per-frame
/// DC removal, FFT size rounded up to a power of two, power spectrum, natural log floored at
/// float epsilon, no energy term, no VTLN, no mean subtraction. Deltas follow
/// `torchaudio.functional.compute_deltas` and are appended as `[static | Δ | ΔΔ]`.
public struct KaldiFeatureConfiguration: Codable, Sendable, Equatable {
    /// Kaldi `frame_length` in milliseconds (25); samples per frame are
    /// ⌊rate · ms · 0.001⌋, 400 at 16 kHz.
    public var frameLengthMilliseconds: Double
    /// Kaldi `frame_shift` in milliseconds (10); 160 samples at 16 kHz.
    public var frameShiftMilliseconds: Double
    /// Kaldi `preemphasis_coefficient` (0.97): x[j] −= c · x[j − 1] within each frame; 0 turns
    /// it off.
    public var preemphasisCoefficient: Float
    /// Kaldi `window_type` (`povey`).
    public var window: WindowFunction
    /// Kaldi `num_mel_bins` (23).
    public var melBinCount: Int
    /// Kaldi `low_freq` in hertz (20).
    public var lowFrequency: Double
    /// Kaldi `high_freq` in hertz; ≤ 0 is an offset from the Nyquist frequency (0).
    public var highFrequency: Double
    /// Kaldi `num_ceps` (13), including C0; at most `melBinCount`. Ignored by filterbanks.
    public var cepstralCount: Int
    /// Kaldi `cepstral_lifter` (22): cepstrum i is scaled by 1 + L/2 · sin(π i / L); 0 turns
    /// it off. Ignored by filterbanks.
    public var cepstralLifter: Float
    /// How many orders of deltas to append: 0 (none), 1 (Δ) or 2 (Δ and ΔΔ).
    public var deltaOrder: Int
    /// `compute_deltas` `win_length` (5): deltas regress over ±⌊(window − 1) / 2⌋ frames.
    public var deltaWindow: Int

    /// A configuration; every default is torchaudio's (and Kaldi's), with no deltas.
    public init(
        frameLengthMilliseconds: Double = 25, frameShiftMilliseconds: Double = 10,
        preemphasisCoefficient: Float = 0.97, window: WindowFunction = .povey,
        melBinCount: Int = 23, lowFrequency: Double = 20, highFrequency: Double = 0,
        cepstralCount: Int = 13, cepstralLifter: Float = 22, deltaOrder: Int = 0,
        deltaWindow: Int = 5
    ) {
        self.frameLengthMilliseconds = frameLengthMilliseconds
        self.frameShiftMilliseconds = frameShiftMilliseconds
        self.preemphasisCoefficient = preemphasisCoefficient
        self.window = window
        self.melBinCount = melBinCount
        self.lowFrequency = lowFrequency
        self.highFrequency = highFrequency
        self.cepstralCount = cepstralCount
        self.cepstralLifter = cepstralLifter
        self.deltaOrder = deltaOrder
        self.deltaWindow = deltaWindow
    }

    /// Samples per frame at `sampleRate`, as torchaudio: ⌊rate · ms · 0.001⌋ in double precision.
    public func frameLength(sampleRate: Int) -> Int {
        Int(Double(sampleRate) * frameLengthMilliseconds * 0.001)
    }

    /// Samples between frames at `sampleRate`, as torchaudio: ⌊rate · ms · 0.001⌋.
    public func frameShift(sampleRate: Int) -> Int {
        Int(Double(sampleRate) * frameShiftMilliseconds * 0.001)
    }

    /// Frames from `sampleCount` samples: 1 + ⌊(N − length) / shift⌋, or 0 when N < length
    /// (Kaldi's snip-edges framing).
    public func frameCount(sampleCount: Int, sampleRate: Int) -> Int {
        Framing(
            frameLength: frameLength(sampleRate: sampleRate),
            hopLength: frameShift(sampleRate: sampleRate)
        ).frameCount(sampleCount: sampleCount)
    }
}

/// The MFCC label features of the HuBERT / MusicHuBERT recipes.
public enum MFCCVariant: String, Codable, Sendable, CaseIterable {
    /// HuBERT's iteration-1 features: 13 Kaldi cepstra from 23 mel bins + Δ + ΔΔ = 39 dims.
    case kaldi39
    /// MusicHuBERT's "MFCC 60" ablation: 20 cepstra + Δ + ΔΔ = 60 dims. The paper does not say
    /// which filterbank; this keeps every other Kaldi default, 23 mel bins included, so only
    /// `num_ceps` changes from the 39-dim recipe.
    case kaldi60

    /// The options that compute this variant.
    public var configuration: KaldiFeatureConfiguration {
        switch self {
        case .kaldi39: KaldiFeatureConfiguration(cepstralCount: 13, deltaOrder: 2)
        case .kaldi60: KaldiFeatureConfiguration(cepstralCount: 20, deltaOrder: 2)
        }
    }

    /// Feature dimensions per frame: 39 or 60.
    public var dimensions: Int {
        configuration.cepstralCount * (configuration.deltaOrder + 1)
    }
}
