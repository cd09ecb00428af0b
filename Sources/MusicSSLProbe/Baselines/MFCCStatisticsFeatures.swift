import Foundation
import MusicSSLCore

/// The model-free baseline of probing: hand-made MFCC features in place of a frozen encoder's
/// hidden states, so a table can show how much a pre-trained model adds over classic features.
///
/// Each item is decoded, mixed to mono and resampled to 16 kHz, and its Kaldi MFCC (39 or 60
/// values per 10-ms frame, `MFCCVariant`) computed. Clip-level tasks get, per window of the
/// task's ``ProbeTask/windowSeconds`` (as the encoders' windows: a trailing piece under 1 s is
/// dropped unless it is the only one), the mean and the standard deviation of every coefficient
/// over the window's frames, `2 × dimensions` values; beat tracking gets the frames themselves at
/// 100 Hz. Every value is then standardised with the mean and deviation of the training split, so
/// the probe's learning rates mean the same as for an encoder's layer-normalised features. The
/// result has one hidden state ("layer 0"), so a sweep over it varies the learning rate only.
///
/// ```swift
/// let baseline = try MFCCStatisticsFeatures()
/// let (features, failed) = try baseline.featureSet(for: task)
/// let result = try ProbeSweep(features: features, configuration: sweep,
///                             featuresIdentity: baseline.identity(of: features)).run()
/// ```
public struct MFCCStatisticsFeatures {
    /// The rate audio is resampled to, 16 kHz.
    public static let sampleRate = 16_000
    /// Frames per second of the MFCC (a 10-ms shift).
    public static let framesPerSecond = 100.0

    /// 39 (13 cepstra + Δ + ΔΔ) or 60 values per frame.
    public let variant: MFCCVariant
    /// How audio reaches 16 kHz.
    public let resampling: FeatureResampling
    private let mfcc: KaldiMFCC

    /// A baseline of the given MFCC recipe.
    ///
    /// - Throws: the MFCC's configuration errors (none for the built-in variants).
    public init(variant: MFCCVariant = .kaldi39, resampling: FeatureResampling = .torchaudio)
        throws
    {
        self.variant = variant
        self.resampling = resampling
        mfcc = try KaldiMFCC(variant)
    }

    /// Values per frame (39 or 60).
    public var frameDimensions: Int { variant.dimensions }

    /// The unstandardised features of a 16-kHz mono waveform: `[1, windows, 2 × dims]` of
    /// per-window mean and standard deviation when `pooled`, else `[1, frames, dims]`.
    ///
    /// - Throws: `TensorError` for audio shorter than one 25-ms frame.
    public func features(of samples: [Float], windowSeconds: Double, pooled: Bool) throws
        -> Tensor
    {
        guard pooled else {
            let frames = try mfcc(samples, sampleRate: Self.sampleRate)
            return try frames.reshaped(to: [1] + frames.shape)
        }
        var rows: [Float] = []
        let ranges = LayerFeatureExtractor.windows(
            sampleCount: samples.count, sampleRate: Self.sampleRate, windowSeconds: windowSeconds,
            minimumWindowSeconds: 1)
        for range in ranges {
            let frames = try mfcc(Array(samples[range]), sampleRate: Self.sampleRate)
            rows += Self.meanAndDeviation(frames.scalars, dimensions: frames.shape[1])
        }
        return try Tensor(shape: [1, ranges.count, 2 * frameDimensions], scalars: rows)
    }

    /// Every usable item's standardised features as a probe's feature set, and the items that
    /// could not be decoded (left out, as the encoder pipeline leaves them out).
    ///
    /// - Throws: ``ProbeError`` when a split is left without items.
    public func featureSet(
        for task: ProbeTask, events: (FeatureCacheBuilder.Event) -> Void = { _ in }
    ) throws -> (features: ProbeFeatureSet, failed: [(id: String, reason: String)]) {
        let pooled = task.kind != .beatTracking
        var computed: [String: Tensor] = [:]
        var failed: [(id: String, reason: String)] = []
        for (offset, item) in task.items.enumerated() {
            var failure: String?
            do {
                let samples = try FeatureCacheBuilder.Item(item).waveform(
                    sampleRate: Self.sampleRate, resampling: resampling)
                computed[item.id] = try features(
                    of: samples, windowSeconds: task.windowSeconds, pooled: pooled)
            } catch {
                failure = "\(item.id): \(error)"
                failed.append((item.id, "\(error)"))
            }
            events(
                FeatureCacheBuilder.Event(
                    position: offset + 1, total: task.items.count, id: item.id, reused: false,
                    failure: failure))
        }
        let trainRows = task.items.filter { $0.split == .train }.compactMap { computed[$0.id] }
        guard !trainRows.isEmpty else { throw ProbeError.emptySplit(task: task.name, split: .train) }
        let standardize = try Standardization(rows: trainRows)
        var usable = task
        usable.items.removeAll { computed[$0.id] == nil }
        let set = try ProbeFeatureSet(
            task: usable, framesPerSecond: pooled ? nil : Self.framesPerSecond
        ) { item in
            try standardize(computed[item.id]!)
        }
        return (set, failed)
    }

    /// Names these features for a sweep's run fingerprints: the recipe and the items' ids,
    /// splits and labels, so a changed item list retrains.
    public func identity(of features: ProbeFeatureSet) -> String {
        "mfcc-statistics v1 \(variant.rawValue) \(resampling) window=\(features.task.windowSeconds) "
            + ProbePipeline.itemsDigest(features.task.items)
    }

    /// Per-coefficient mean then population standard deviation of row-major `[frames, dims]`.
    static func meanAndDeviation(_ values: [Float], dimensions: Int) -> [Float] {
        var statistics = ColumnStatistics(columns: dimensions)
        statistics.add(values)
        return (statistics.means + statistics.deviations).map(Float.init)
    }
}
