import Foundation
import MusicSSLCore

/// Everything `msl pretrain` needs, one Codable section per concern; the YAML keys are the
/// properties in snake_case (`data.crop_seconds`, `masking.span_length`).
///
/// Every ablation knob of the paper's Tables 2 and 3 is a key: `hubert.clusters` (500/2000),
/// `hubert.mfcc_dimensions` (39/60), `hubert.iteration` (1/2), `masking.span_length` (5/10/15),
/// `masking.probability` (0.5/0.65/0.8), `optimization.steps`, `data2vec.target_layers` (8/12)
/// and `data.crop_seconds` (5/30). Defaults are the reference recipe of the chosen
/// ``objective`` (model-spec §5.1); ``ConfigurationLoader`` merges a file and `--set`
/// overrides over them and rejects unknown keys.
public struct PretrainingConfiguration: Codable, Equatable, Sendable {
    /// Which pre-training objective.
    public enum Objective: String, Codable, Sendable, CaseIterable {
        /// HuBERT's masked prediction of k-means labels.
        case musichubert
        /// data2vec's masked regression of an EMA teacher's top layers.
        case music2vec
    }

    /// The objective, which also picks the defaults.
    public var objective: Objective
    /// The network.
    public var model: ModelSection
    /// Audio and batches.
    public var data: DataSection
    /// Span masking.
    public var masking: MaskingSection
    /// MusicHuBERT's targets and head.
    public var hubert: HuBERTSection
    /// Music2vec's teacher and head.
    public var data2vec: Data2vecSection
    /// Optimizer and schedule.
    public var optimization: OptimizationSection
    /// Seeds, checkpoints and logging.
    public var run: RunSection

    /// The network's size.
    public struct ModelSection: Codable, Equatable, Sendable {
        /// `tiny` (4 × 256, CPU minutes) or `base` (12 × 768, the paper's 95 M).
        public var architecture: String
        /// Transformer layers, replacing the architecture's (unset: 4 tiny, 12 base).
        public var layers: Int? = nil
        /// Model width, replacing the architecture's (unset: 256 tiny, 768 base); a multiple of
        /// the heads and of the positional convolution's 16 groups.
        public var dimensions: Int? = nil
        /// Attention heads (unset: 4 tiny, 12 base).
        public var heads: Int? = nil
        /// FFN width (unset: 4 × the width).
        public var feedForwardDimensions: Int? = nil
        /// Channels of each of the seven CNN layers (unset: 256 tiny, 512 base).
        public var convolutionChannels: Int? = nil
    }

    /// Where the audio comes from and how it is batched.
    public struct DataSection: Codable, Equatable, Sendable {
        /// A folder of audio or a fairseq manifest (`--corpus` overrides).
        public var corpus: String?
        /// MusicHuBERT's label directory from `msl kmeans label` (`--labels` overrides).
        public var labels: String?
        /// Crop length in seconds (the paper's crop5s ablation: 5 vs 30).
        public var cropSeconds: Double
        /// Clips per batch.
        public var batchSize: Int
        /// The model's sample rate.
        public var sampleRate: Int
        /// Per-clip zero mean, unit variance (data2vec's `normalize`).
        public var normalize: Bool
        /// Batches the background loader keeps ready.
        public var prefetchBatches: Int
    }

    /// fairseq's span masking (model-spec §2).
    public struct MaskingSection: Codable, Equatable, Sendable {
        /// Mask probability p.
        public var probability: Double
        /// Span length L in frames.
        public var spanLength: Int
        /// Fewest spans per clip.
        public var minimumMasks: Int
    }

    /// MusicHuBERT's labels and head.
    public struct HuBERTSection: Codable, Equatable, Sendable {
        /// k-means clusters K.
        public var clusters: Int
        /// MFCC dimensions of iteration-1 labels: 39 (13 + Δ + ΔΔ) or 60 (20 + Δ + ΔΔ).
        public var mfccDimensions: Int
        /// 1: labels from MFCC k-means (100 Hz); 2: from a trained model's layer (50 Hz).
        public var iteration: Int
        /// The layer whose features iteration 2 clusters.
        public var iterationLayer: Int
        /// Width of the projected label space (256).
        public var finalDimensions: Int
        /// Weight of mean(CNN output²) (10).
        public var featurePenalty: Double
        /// Weight of unmasked frames (0).
        public var unmaskedWeight: Double

        /// Labels per second for ``iteration``.
        public var labelRate: Double { iteration == 1 ? 100 : 50 }
    }

    /// Music2vec's teacher and head.
    public struct Data2vecSection: Codable, Equatable, Sendable {
        /// K, teacher layers averaged (8; ablation 12).
        public var targetLayers: Int
        /// EMA decay at update 0.
        public var emaStart: Double
        /// EMA decay after the anneal.
        public var emaEnd: Double
        /// Updates of the anneal.
        public var emaAnnealSteps: Int
        /// 0 for the squared error, else smooth-L1's β.
        public var lossBeta: Double
    }

    /// Optimizer and learning-rate schedule.
    public struct OptimizationSection: Codable, Equatable, Sendable {
        /// Updates to train.
        public var steps: Int
        /// Peak learning rate.
        public var learningRate: Double
        /// `polynomial` (warmup + linear decay, HuBERT) or `tri_stage` (data2vec).
        public var schedule: String
        /// Warmup updates of the polynomial schedule (the tri-stage uses 3 % of ``steps``).
        public var warmupSteps: Int
        /// Global gradient-norm clip; 0 for none.
        public var clipNorm: Double
        /// Decoupled weight decay.
        public var weightDecay: Double
        /// Adam β₁.
        public var beta1: Double
        /// Adam β₂.
        public var beta2: Double
        /// Adam ε.
        public var epsilon: Double
        /// Micro-batches accumulated per update.
        public var accumulationSteps: Int
        /// Gradient multiplier at the CNN output (`feature_grad_mult`).
        public var featureGradientScale: Double
    }

    /// Reproducibility and bookkeeping.
    public struct RunSection: Codable, Equatable, Sendable {
        /// Seeds parameters, masks, dropout and data.
        public var seed: UInt64
        /// Updates between checkpoints.
        public var checkpointEvery: Int
        /// Checkpoints kept.
        public var keepCheckpoints: Int
        /// Updates between metrics lines.
        public var logEvery: Int
    }

    /// The reference recipe of `objective` at base size (model-spec §5.1).
    public static func defaults(for objective: Objective) -> PretrainingConfiguration {
        let hubert = objective == .musichubert
        return PretrainingConfiguration(
            objective: objective,
            model: ModelSection(architecture: "base"),
            data: DataSection(
                corpus: nil, labels: nil, cropSeconds: 5, batchSize: 8, sampleRate: 16_000, normalize: !hubert,
                prefetchBatches: 4),
            masking: hubert
                ? MaskingSection(probability: 0.8, spanLength: 10, minimumMasks: 2)
                : MaskingSection(probability: 0.65, spanLength: 10, minimumMasks: 1),
            hubert: HuBERTSection(
                clusters: 500, mfccDimensions: 39, iteration: 1, iterationLayer: 6, finalDimensions: 256,
                featurePenalty: 10, unmaskedWeight: 0),
            data2vec: Data2vecSection(targetLayers: 8, emaStart: 0.999, emaEnd: 0.9999, emaAnnealSteps: 30_000, lossBeta: 0),
            optimization: OptimizationSection(
                steps: 400_000, learningRate: 5e-4, schedule: hubert ? "polynomial" : "tri_stage", warmupSteps: 32_000,
                clipNorm: hubert ? 10 : 0, weightDecay: 0.01, beta1: 0.9, beta2: 0.98, epsilon: 1e-6,
                accumulationSteps: 1, featureGradientScale: 0.1),
            run: RunSection(seed: 1337, checkpointEvery: 1000, keepCheckpoints: 3, logEvery: 10))
    }

    /// The backbone's architecture: the objective's base model, or the tiny CPU model with the
    /// objective's extractor and positional convolution, with any `model.*` size keys applied.
    public func encoderConfiguration() throws -> EncoderConfiguration {
        var configuration: EncoderConfiguration
        switch (model.architecture, objective) {
        case ("base", .musichubert): configuration = .hubertBase
        case ("base", .music2vec): configuration = .data2vecBase
        case ("tiny", .musichubert): configuration = .tiny
        case ("tiny", .music2vec):
            configuration = .tiny
            configuration.featureExtractorNormalization = .layerNormEveryLayer
            configuration.positionalConvolution = .stacked(layerCount: 5, kernelSize: 19, groupCount: 16)
        default:
            throw ConfigurationError.invalidValue(
                key: "model.architecture", value: model.architecture, expected: "tiny or base")
        }
        if let layers = model.layers { configuration.layerCount = layers }
        if let dimensions = model.dimensions {
            configuration.modelDimensions = dimensions
            configuration.feedForwardDimensions = 4 * dimensions
        }
        if let heads = model.heads { configuration.headCount = heads }
        if let width = model.feedForwardDimensions { configuration.feedForwardDimensions = width }
        if let channels = model.convolutionChannels {
            configuration.convolutionLayers = configuration.convolutionLayers.map {
                ConvolutionLayerShape(channels: channels, kernelSize: $0.kernelSize, stride: $0.stride)
            }
        }
        return configuration
    }

    /// Checks the model-size keys against each other.
    private func validateModelSize(_ configuration: EncoderConfiguration) throws {
        let width = configuration.modelDimensions
        let groups: Int
        switch configuration.positionalConvolution {
        case .weightNormalized(_, let count), .stacked(_, _, let count): groups = count
        }
        let checks: [(Bool, String, Int, String)] = [
            (configuration.layerCount >= 1, "model.layers", configuration.layerCount, "at least 1"),
            (width >= groups && width % groups == 0, "model.dimensions", width, "a positive multiple of \(groups)"),
            (configuration.headCount >= 1 && width % configuration.headCount == 0, "model.heads",
             configuration.headCount, "a divisor of the width \(width)"),
            (configuration.feedForwardDimensions >= 1, "model.feed_forward_dimensions",
             configuration.feedForwardDimensions, "at least 1"),
            ((configuration.convolutionLayers.first?.channels ?? 0) >= 1, "model.convolution_channels",
             configuration.convolutionLayers.first?.channels ?? 0, "at least 1"),
        ]
        for (holds, key, value, expected) in checks where !holds {
            throw ConfigurationError.invalidValue(key: key, value: "\(value)", expected: expected)
        }
    }

    /// The masking the configuration describes (per-example draws for MusicHuBERT, one per
    /// batch for Music2vec, as the reference data sets do).
    public var spanMasking: SpanMasking {
        SpanMasking(
            probability: masking.probability, spanLength: masking.spanLength, minimumMasks: masking.minimumMasks,
            countDraw: objective == .musichubert ? .perExample : .perBatch)
    }

    /// Checks the values a run cannot start with, naming the key.
    public func validate() throws {
        func require(_ condition: Bool, _ key: String, _ value: Any, _ expected: String) throws {
            if !condition {
                throw ConfigurationError.invalidValue(key: key, value: "\(value)", expected: expected)
            }
        }
        try validateModelSize(encoderConfiguration())
        try require(data.cropSeconds > 0.1, "data.crop_seconds", data.cropSeconds, "more than 0.1 s")
        try require(data.batchSize >= 1, "data.batch_size", data.batchSize, "at least 1")
        try require(data.sampleRate >= 8_000, "data.sample_rate", data.sampleRate, "at least 8000")
        try require(data.prefetchBatches >= 1, "data.prefetch_batches", data.prefetchBatches, "at least 1")
        try require((0...1).contains(masking.probability), "masking.probability", masking.probability, "in [0, 1]")
        try require(masking.spanLength >= 1, "masking.span_length", masking.spanLength, "at least 1")
        try require(masking.minimumMasks >= 0, "masking.minimum_masks", masking.minimumMasks, "at least 0")
        // Only the active objective's section must make sense.
        let layers = try encoderConfiguration().layerCount
        switch objective {
        case .musichubert:
            try require(hubert.clusters >= 2, "hubert.clusters", hubert.clusters, "at least 2")
            try require([39, 60].contains(hubert.mfccDimensions), "hubert.mfcc_dimensions", hubert.mfccDimensions, "39 or 60")
            try require([1, 2].contains(hubert.iteration), "hubert.iteration", hubert.iteration, "1 or 2")
            try require(
                hubert.iteration == 1 || (1...layers).contains(hubert.iterationLayer), "hubert.iteration_layer",
                hubert.iterationLayer, "in 1...\(layers)")
            try require(hubert.finalDimensions >= 1, "hubert.final_dimensions", hubert.finalDimensions, "at least 1")
        case .music2vec:
            try require((1...layers).contains(data2vec.targetLayers), "data2vec.target_layers", data2vec.targetLayers, "in 1...\(layers)")
            try require(
                data2vec.emaStart >= 0 && data2vec.emaEnd <= 1 && data2vec.emaStart <= data2vec.emaEnd,
                "data2vec.ema_start", data2vec.emaStart, "0 ≤ ema_start ≤ ema_end ≤ 1")
            try require(data2vec.lossBeta >= 0, "data2vec.loss_beta", data2vec.lossBeta, "at least 0")
        }
        try require(optimization.steps >= 1, "optimization.steps", optimization.steps, "at least 1")
        try require(["polynomial", "tri_stage"].contains(optimization.schedule), "optimization.schedule", optimization.schedule, "polynomial or tri_stage")
        try require(optimization.learningRate > 0, "optimization.learning_rate", optimization.learningRate, "positive")
        try require(optimization.accumulationSteps >= 1, "optimization.accumulation_steps", optimization.accumulationSteps, "at least 1")
        try require(run.checkpointEvery >= 1, "run.checkpoint_every", run.checkpointEvery, "at least 1")
        try require(run.keepCheckpoints >= 1, "run.keep_checkpoints", run.keepCheckpoints, "at least 1")
        try require(run.logEvery >= 1, "run.log_every", run.logEvery, "at least 1")
    }
}
