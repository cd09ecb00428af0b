import MusicSSLCore

/// How feature extraction brings audio to the model's sample rate.
public enum FeatureResampling: String, Codable, Sendable, CaseIterable {
    /// torchaudio's `transforms.Resample` defaults (Hann-windowed sinc, width 6, roll-off 0.99),
    /// as MARBLE resamples (probe-spec §1.2), through `SincResampler`: the default, so features
    /// match the reference pipeline's, and fast: `msl-bench dsp` measured 1.2 ms for a 30-s
    /// clip at 22.05 kHz, and 6 ms against libsamplerate's 1.8 s for 60 s at 44.1 kHz.
    case torchaudio
    /// libsamplerate's best sinc (`Resampler` `.best`): a far stronger anti-aliasing filter,
    /// not MARBLE's.
    case libsamplerate

    /// Resamples mono `samples` from `inputRate` to `outputRate`.
    ///
    /// - Throws: ``ResamplerError`` for a rate the resampler cannot take.
    func resample(_ samples: [Float], from inputRate: Int, to outputRate: Int) throws -> [Float] {
        switch self {
        case .torchaudio: try SincResampler().resample(samples, from: inputRate, to: outputRate)
        case .libsamplerate: try Resampler().resample(samples, from: inputRate, to: outputRate)
        }
    }
}
