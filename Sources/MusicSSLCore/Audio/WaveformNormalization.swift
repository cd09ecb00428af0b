/// What is done to each clip's waveform before it reaches the model.
///
/// data2vec and Music2vec train with `normalize: true`, which is fairseq's
/// `F.layer_norm(wav, wav.shape)`: `(x − mean) / sqrt(var + 1e-5)` with the biased variance and
/// no affine; HuBERT and MERT train with `normalize: false`. Hugging Face's
/// `Wav2Vec2FeatureExtractor` uses eps 1e-7 instead (model-spec §1.1).
public enum WaveformNormalization: Sendable, Equatable {
    /// The samples as decoded.
    case none
    /// Zero mean and unit variance over the clip: `(x − mean) / sqrt(biased variance + epsilon)`.
    case zeroMeanUnitVariance(epsilon: Float)

    /// fairseq's `normalize: true` (data2vec, Music2vec): eps 1e-5.
    public static let fairseq = WaveformNormalization.zeroMeanUnitVariance(epsilon: 1e-5)
    /// Hugging Face `Wav2Vec2FeatureExtractor(do_normalize=True)`: eps 1e-7.
    public static let huggingFace = WaveformNormalization.zeroMeanUnitVariance(epsilon: 1e-7)

    /// Normalises `samples`.
    ///
    /// - Parameter samples: [frames]; an empty clip is returned as is.
    /// - Returns: [frames].
    public func apply(to samples: [Float]) -> [Float] {
        guard case .zeroMeanUnitVariance(let epsilon) = self, !samples.isEmpty else {
            return samples
        }
        // Double sums: a minute at 24 kHz is 1.4 M samples, past where Float sums stay exact.
        let count = Double(samples.count)
        let mean = samples.reduce(0.0) { $0 + Double($1) } / count
        let variance =
            samples.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count
        let scale = 1 / (variance + Double(epsilon)).squareRoot()
        return samples.map { Float((Double($0) - mean) * scale) }
    }
}
