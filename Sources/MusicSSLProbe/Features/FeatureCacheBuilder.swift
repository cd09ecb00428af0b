import Foundation
import MusicSSLCore

/// Extracts a frozen encoder's features for a list of items into a ``FeatureCache``, once:
/// items whose file already holds this model's features with these settings are reused, the
/// rest are computed (MARBLE's protocol, probe-spec §1.2): decode, mix to mono, resample to the
/// model's rate, z-normalise the whole file, cut 30 s windows (a trailing piece under 1 s is
/// dropped), run every window through the model, keep every hidden state mean-pooled per window.
///
/// An interrupted build leaves whole files only (each is written atomically), so running it
/// again continues where it stopped. Items that fail to decode are reported and skipped.
///
/// ```swift
/// let builder = try FeatureCacheBuilder(model: model, directory: cacheURL)
/// let summary = try builder.build(items) { event in print(event) }
/// let features = try builder.cache.lookup(item: items[0].id)   // .hit([13, windows, 768])
/// ```
public final class FeatureCacheBuilder {
    /// One audio item: its id (the cache key, a relative path), its file and, for a clip of a
    /// longer recording, the region it covers.
    public struct Item: Sendable, Equatable {
        /// The cache key, e.g. `blues/blues.00000.wav`.
        public var id: String
        /// The audio file.
        public var url: URL
        /// The part of the file the item covers; nil for all of it.
        public var region: AudioRegion?

        /// Creates an item.
        public init(id: String, url: URL, region: AudioRegion? = nil) {
            self.id = id
            self.url = url
            self.region = region
        }

        /// The item of a task's item: same id, file and region.
        public init(_ item: TaskItem) {
            self.init(id: item.id, url: item.url, region: item.region)
        }
    }

    /// What happened to one item.
    public struct Event: Sendable {
        /// 1-based position of the item in the list.
        public var position: Int
        /// Items in the list.
        public var total: Int
        /// The item's id.
        public var id: String
        /// Whether the cached file was reused.
        public var reused: Bool
        /// Why the item failed, when it did.
        public var failure: String?
    }

    /// What a build did.
    public struct Summary: Sendable {
        /// Items computed now.
        public var computed: Int
        /// Items whose cached features were reused.
        public var reused: Int
        /// Items that failed, with the reason.
        public var failed: [(id: String, reason: String)]
        /// Cached files replaced because they were stale, with the reason.
        public var replaced: [(id: String, reason: String)]
    }

    /// The model, in evaluation mode.
    public let model: EncoderModel
    /// The cache written.
    public let cache: FeatureCache
    /// Cuts windows and pools hidden states.
    public let extractor: LayerFeatureExtractor
    /// Applied to the whole file before windowing.
    public let normalization: WaveformNormalization
    /// How audio is brought to the model's rate (MARBLE: torchaudio's sinc).
    public let resampling: FeatureResampling

    /// A builder writing into `directory`.
    ///
    /// - Parameters:
    ///   - windowSeconds: Window length (MARBLE: 30).
    ///   - minimumWindowSeconds: A shorter trailing window is dropped (MARBLE: 1).
    ///   - pooling: `.mean` per window, or `.none` to keep frames (beat tracking).
    ///   - normalization: Whole-file waveform normalisation (MARBLE: `.huggingFace`, ε 1e-7).
    ///   - resampling: How audio reaches the model's rate (MARBLE: `.torchaudio`).
    ///   - precision: Storage on disk; nil for ``FeaturePrecision/standard(for:)`` (float16
    ///     frames, float32 windows).
    /// - Throws: ``FeatureCacheError/invalidSettings(_:)`` for a non-positive window.
    public init(
        model: EncoderModel, directory: URL, windowSeconds: Double = 30,
        minimumWindowSeconds: Double = 1,
        pooling: FeaturePooling = .mean, normalization: WaveformNormalization = .huggingFace,
        resampling: FeatureResampling = .torchaudio, precision: FeaturePrecision? = nil
    ) throws {
        guard windowSeconds.isFinite, windowSeconds >= 0.05, minimumWindowSeconds >= 0 else {
            throw FeatureCacheError.invalidSettings(
                "window \(windowSeconds) s with minimum \(minimumWindowSeconds) s; the window must be at least 0.05 s"
            )
        }
        self.model = model
        self.normalization = normalization
        self.resampling = resampling
        extractor = LayerFeatureExtractor(
            model: model, layers: nil, pooling: pooling, windowSeconds: windowSeconds,
            minimumWindowSeconds: minimumWindowSeconds)
        let configuration = model.configuration
        cache = FeatureCache(
            directory: directory,
            header: FeatureCacheHeader(
                modelHash: try EncoderFingerprint.of(model), sampleRate: configuration.sampleRate,
                windowSeconds: windowSeconds, minimumWindowSeconds: minimumWindowSeconds,
                pooling: pooling,
                normalization: normalization, resampling: resampling,
                precision: precision ?? .standard(for: pooling),
                layerCount: configuration.layerCount + 1,
                dimensions: configuration.modelDimensions))
    }

    /// Makes sure every item of `items` is cached; see the type's description.
    ///
    /// - Throws: ``FeatureCacheError/invalidItemID(_:)`` for a bad id (before any work), and
    ///   errors writing the cache (the files written so far stay); an audio file that does not
    ///   decode, or is shorter than the model's receptive field, is a failed item, not an error.
    @discardableResult
    public func build(_ items: [Item], events: (Event) -> Void = { _ in }) throws -> Summary {
        for item in items { _ = try cache.url(forItem: item.id) }
        var summary = Summary(computed: 0, reused: 0, failed: [], replaced: [])
        var pending: [(offset: Int, item: Item)] = []
        for (offset, item) in items.enumerated() {
            let lookup = try cache.lookup(item: item.id)
            if case .hit = lookup {
                summary.reused += 1
                events(
                    Event(
                        position: offset + 1, total: items.count, id: item.id, reused: true,
                        failure: nil))
                continue
            }
            if case .stale(let reason) = lookup { summary.replaced.append((item.id, reason)) }
            pending.append((offset, item))
        }
        // The next item's audio is decoded and resampled on another thread while the model runs
        // on the current one, so decoding (single-threaded) overlaps the GEMMs.
        let prefetch = WaveformPrefetch(items: pending.map(\.item)) { [self] item in
            try waveform(of: item)
        }
        for (index, entry) in pending.enumerated() {
            var event = Event(
                position: entry.offset + 1, total: items.count, id: entry.item.id, reused: false,
                failure: nil)
            // A file that does not decode fails its item; a cache that cannot be written
            // (a full disk) stops the build.
            do {
                let samples = try prefetch.waveform(at: index)
                let computed = try extractor.features(of: normalization.apply(to: samples))
                try cache.store(computed, forItem: entry.item.id)
                summary.computed += 1
            } catch let error as AudioError {
                summary.failed.append((entry.item.id, "\(error)"))
                event.failure = "\(error)"
            } catch let error as ResamplerError {
                summary.failed.append((entry.item.id, "\(error)"))
                event.failure = "\(error)"
            } catch let error as TensorError {
                summary.failed.append((entry.item.id, "\(error)"))
                event.failure = "\(error)"
            }
            events(event)
        }
        return summary
    }

    /// The mono waveform of `item` at the model's rate: its region only when it has one.
    ///
    /// - Throws: `AudioError` for a file that does not decode or a region outside it, and
    ///   `ResamplerError`.
    public func waveform(of item: Item) throws -> [Float] {
        try item.waveform(sampleRate: model.configuration.sampleRate, resampling: resampling)
    }

    /// The features of the file at `url`, computed now (not cached).
    ///
    /// - Throws: `AudioError` for a file that does not decode, `ResamplerError`, and
    ///   `TensorError` for audio shorter than the model's receptive field.
    public func features(of url: URL) throws -> Tensor {
        let clip = try AudioDecoder.read(url)
        let samples = try resampling.resample(
            clip.samples, from: clip.sampleRate, to: model.configuration.sampleRate)
        return try extractor.features(of: normalization.apply(to: samples))
    }
}
