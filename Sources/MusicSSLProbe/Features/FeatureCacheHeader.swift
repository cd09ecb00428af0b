import Foundation
import MusicSSLCore

/// What a cached feature file was computed with. A cached item is reused only when its header
/// equals the one a run would write, so a changed model, rate, window or pooling recomputes it.
public struct FeatureCacheHeader: Codable, Equatable, Sendable {
    /// The cache file layout's version.
    public static let currentFormatVersion = 2

    /// ``currentFormatVersion`` when written.
    public var formatVersion: Int
    /// ``EncoderFingerprint`` of the model: its configuration and every parameter.
    public var modelHash: String
    /// The model's sample rate in Hz, which audio is resampled to.
    public var sampleRate: Int
    /// Window length in seconds (MARBLE: 30).
    public var windowSeconds: Double
    /// A trailing window shorter than this is dropped (MARBLE: 1 s).
    public var minimumWindowSeconds: Double
    /// `mean` (one vector per window) or `none` (every frame, for beat tracking).
    public var pooling: FeaturePooling
    /// Whole-file waveform normalisation before windowing: `zero-mean-unit-variance` with its
    /// ε (MARBLE's `Wav2Vec2FeatureExtractor(do_normalize=True)`: 1e-7), or `none`.
    public var normalization: String
    /// How audio was resampled to ``sampleRate`` (`torchaudio` or `libsamplerate`).
    public var resampling: FeatureResampling
    /// How the features are stored (`float32` or `float16`).
    public var precision: FeaturePrecision
    /// Hidden states stored per item (L + 1 for all, index 0 the Transformer's input).
    public var layerCount: Int
    /// Width of each hidden state.
    public var dimensions: Int

    /// Creates a header.
    public init(
        modelHash: String, sampleRate: Int, windowSeconds: Double, minimumWindowSeconds: Double,
        pooling: FeaturePooling, normalization: WaveformNormalization,
        resampling: FeatureResampling = .torchaudio, precision: FeaturePrecision = .float32,
        layerCount: Int,
        dimensions: Int
    ) {
        formatVersion = Self.currentFormatVersion
        self.modelHash = modelHash
        self.sampleRate = sampleRate
        self.windowSeconds = windowSeconds
        self.minimumWindowSeconds = minimumWindowSeconds
        self.pooling = pooling
        switch normalization {
        case .none: self.normalization = "none"
        case .zeroMeanUnitVariance(let epsilon):
            self.normalization = "zero-mean-unit-variance:\(epsilon)"
        }
        self.resampling = resampling
        self.precision = precision
        self.layerCount = layerCount
        self.dimensions = dimensions
    }

    /// The header as the single-line JSON kept in a cache file's metadata.
    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
