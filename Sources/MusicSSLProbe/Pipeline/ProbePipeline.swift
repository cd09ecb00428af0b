import Foundation
import MusicSSLCore
import MusicSSLTrain

/// Probing one model on one task from audio to scores: extract the frozen features into the
/// cache (once; cached items are reused), load them, and run the sweep (resumable) — what
/// `msl probe` and `msl benchmark` do for each (checkpoint, task).
///
/// Items whose audio cannot be decoded are reported and left out of the probe (MARBLE's
/// extraction skips them too, then crashes later; here the run goes on without them and says
/// so). A split left empty by that is an error.
///
/// ```swift
/// let pipeline = ProbePipeline(model: model, cacheDirectory: cache, runDirectory: runs)
/// let outcome = try pipeline.run(task) { event in print(event) }
/// print(outcome.sweep.selected?.layer)
/// ```
public struct ProbePipeline {
    /// What the pipeline is doing, for progress reports.
    public enum Event {
        /// Features of one item were reused, computed, or failed.
        case extraction(FeatureCacheBuilder.Event)
        /// Every item's features are cached; the probe grid starts.
        case featuresReady(items: Int, failed: Int)
        /// One run of the grid finished or was loaded.
        case sweep(ProbeSweep.Progress)
    }

    /// What one task's probing produced.
    public struct Outcome {
        /// The grid and its selection.
        public var sweep: SweepResult
        /// What extraction did (items computed, reused, failed).
        public var extraction: FeatureCacheBuilder.Summary
        /// The task as probed: without the items that failed extraction.
        public var task: ProbeTask
    }

    /// The frozen encoder.
    public var model: EncoderModel
    /// The feature cache folder of the task's data set; files are keyed by item id and by the
    /// model's fingerprint, so tasks over the same audio (NSynth instrument and pitch) share it.
    public var cacheDirectory: URL
    /// Where the sweep keeps finished runs; nil keeps none.
    public var runDirectory: URL?
    /// The grid and training settings; each task's own ``ProbeSchedule`` (MARBLE's patience and
    /// epoch limit for that task) replaces the configuration's.
    public var sweep: ProbeSweepConfiguration
    /// An epoch limit for every task instead of each task's own (50 or 100); nil keeps them.
    public var maximumEpochs: Int?
    /// Whole-file waveform normalisation before windowing (MARBLE: HF's, ε 1e-7).
    public var normalization: WaveformNormalization = .huggingFace

    /// A pipeline for `model`, caching into `cacheDirectory`, with MARBLE's grid unless given.
    public init(
        model: EncoderModel, cacheDirectory: URL, runDirectory: URL? = nil,
        sweep: ProbeSweepConfiguration = ProbeSweepConfiguration(schedule: .standard)
    ) {
        self.model = model
        self.cacheDirectory = cacheDirectory
        self.runDirectory = runDirectory
        self.sweep = sweep
    }

    /// The features' frame rate in Hz: the sample rate over the feature extractor's total
    /// stride (50 Hz for HuBERT and Music2vec at 16 kHz).
    public var framesPerSecond: Double {
        let configuration = model.configuration
        let stride = configuration.convolutionLayers.reduce(1) { $0 * $1.stride }
        return Double(configuration.sampleRate) / Double(stride)
    }

    /// The builder of `task`'s feature cache with the settings ``run(_:events:)`` uses (frames
    /// for beat tracking, a mean per window otherwise): for building part of the cache
    /// elsewhere, e.g. one share of the items on each rank of an MPI job, before `run` finds it
    /// all cached.
    ///
    /// - Throws: ``FeatureCacheError/invalidSettings(_:)`` for a task's non-positive window.
    public func cacheBuilder(for task: ProbeTask) throws -> FeatureCacheBuilder {
        try FeatureCacheBuilder(
            model: model, directory: cacheDirectory, windowSeconds: task.windowSeconds,
            pooling: task.kind == .beatTracking ? .none : .mean,
            normalization: normalization)
    }

    /// Extracts, loads and sweeps; see the type's description.
    ///
    /// - Throws: ``FeatureCacheError`` for a bad item id or an unwritable cache,
    ///   ``ProbeError`` when a split has no usable item or features do not fit, and the
    ///   trainer's errors.
    public func run(_ task: ProbeTask, events: (Event) -> Void = { _ in }) throws -> Outcome {
        let builder = try cacheBuilder(for: task)
        let summary = try builder.build(task.items.map(FeatureCacheBuilder.Item.init)) {
            events(.extraction($0))
        }
        let failed = Set(summary.failed.map(\.id))
        var usable = task
        usable.items.removeAll { failed.contains($0.id) }
        events(.featuresReady(items: usable.items.count, failed: failed.count))

        let cache = builder.cache
        let features = try ProbeFeatureSet(
            task: usable, framesPerSecond: task.kind == .beatTracking ? framesPerSecond : nil
        ) { item in
            switch try cache.lookup(item: item.id) {
            case .hit(let tensor): return tensor
            case .missing: throw FeatureCacheError.unavailable(item: item.id, reason: "no file")
            case .stale(let reason): throw FeatureCacheError.unavailable(item: item.id, reason: reason)
            }
        }
        let configuration = sweep.scheduled(for: task, maximumEpochs: maximumEpochs)
        let identity = try Self.featuresIdentity(header: cache.header, items: usable.items)
        let result = try ProbeSweep(
            features: features, configuration: configuration, featuresIdentity: identity,
            runDirectory: runDirectory
        ).run { events(.sweep($0)) }
        return Outcome(sweep: result, extraction: summary, task: usable)
    }

    /// The cache header and an XXH64 of the item ids, splits and labels: names the features a
    /// sweep was trained on, so a changed model, setting or item list retrains.
    static func featuresIdentity(header: FeatureCacheHeader, items: [TaskItem]) throws -> String {
        try header.encoded() + " " + itemsDigest(items)
    }

    /// `items=<count>:<XXH64 of every item's id, split and label>`: the item list a sweep was
    /// trained on, for any feature source's identity.
    static func itemsDigest(_ items: [TaskItem]) -> String {
        var text = ""
        for item in items { text += "\(item.id)\t\(item.split.rawValue)\t\(item.label)\n" }
        return "items=\(items.count):" + String(XXHash64.digest(Array(text.utf8)), radix: 16)
    }
}
