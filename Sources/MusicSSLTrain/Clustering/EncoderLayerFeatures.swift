import Foundation
import MusicSSLCore

/// The hidden state after one Transformer layer of an encoder, per frame (50 Hz for the
/// wav2vec 2.0 extractor at 16 kHz), as fairseq's `dump_hubert_feature.py` computes HuBERT's
/// iteration-2 features: the model runs in evaluation mode on windows of 1.6 M samples (100 s
/// at 16 kHz) whose frames are joined.
public struct EncoderLayerFeatures: FrameFeatureSource {
    /// The encoder (switched to evaluation mode).
    public let model: EncoderModel
    /// Hidden-state index: 0 is the Transformer's input, n the output of layer n (fairseq's
    /// `output_layer=n`; HuBERT iteration 2 uses 6).
    public let layer: Int
    /// What is done to the waveform first: `.none` for HuBERT, `.fairseq` for models trained
    /// with `normalize: true`.
    public let normalization: WaveformNormalization
    /// Samples per window, fairseq's `max_chunk` (1,600,000).
    public let windowSampleCount: Int

    /// Features of `layer` of `model`.
    ///
    /// - Throws: ``KMeansError/invalidArgument(_:)`` when `layer` is outside
    ///   `0...model.configuration.layerCount`.
    public init(
        model: EncoderModel, layer: Int, normalization: WaveformNormalization = .none,
        windowSampleCount: Int = 1_600_000
    ) throws {
        guard (0...model.configuration.layerCount).contains(layer) else {
            throw KMeansError.invalidArgument(
                "layer \(layer) is outside 0...\(model.configuration.layerCount) for this encoder")
        }
        guard windowSampleCount >= 400 else {
            throw KMeansError.invalidArgument(
                "windows need at least 400 samples, got \(windowSampleCount)")
        }
        self.model = model
        self.layer = layer
        self.normalization = normalization
        self.windowSampleCount = windowSampleCount
    }

    /// `checkpoint-layer:<layer>`.
    public var kind: ClusterFeatureKind { .checkpointLayer(layer) }
    /// The encoder's width.
    public var dimensions: Int { model.configuration.modelDimensions }
    /// The model's sample rate over the extractor's total stride (16000 / 320 = 50 Hz).
    public var frameRate: Double {
        let stride = model.configuration.convolutionLayers.reduce(1) { $0 * $1.stride }
        return Double(model.configuration.sampleRate) / Double(stride)
    }

    /// `[frames, dimensions]`, the frames of every window joined.
    public func features(of file: AudioCorpus.File) throws -> Tensor {
        try features(of: AudioDecoder.read(file.url))
    }

    /// The features of a decoded clip at any rate.
    public func features(of clip: AudioClip) throws -> Tensor {
        let rate = model.configuration.sampleRate
        let samples = normalization.apply(
            to: try SincResampler().resample(clip.samples, from: clip.sampleRate, to: rate))
        // A trailing window shorter than the extractor's receptive field has no frame: dropped.
        let receptiveField = model.configuration.convolutionLayers.reversed().reduce(1) {
            ($0 - 1) * $1.stride + $1.kernelSize
        }
        let extractor = LayerFeatureExtractor(
            model: model, layers: [layer], pooling: .none,
            windowSeconds: Double(windowSampleCount) / Double(rate),
            minimumWindowSeconds: Double(receptiveField) / Double(rate))
        let states = try extractor.features(of: samples)  // [1, frames, D]
        return try states.reshaped(to: [states.shape[1], states.shape[2]])
    }
}
