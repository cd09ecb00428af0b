import Foundation

/// The parameters of ``MiniBatchKMeans``, named and defaulted as fairseq's
/// `examples/hubert/simple_kmeans/learn_kmeans.py` passes them to scikit-learn's
/// `MiniBatchKMeans` (model-spec §3.1).
///
/// Encoded with scikit-learn's parameter names (`n_clusters`, `max_iter`, `batch_size`, …);
/// a missing key takes its default.
public struct MiniBatchKMeansConfiguration: Codable, Equatable, Sendable {
    /// K, `n_clusters` (MusicHuBERT: 500 or 2000; HuBERT iteration 1: 100).
    public var clusterCount: Int
    /// `max_iter`: passes over the data; the run takes `max_iter · N / batch_size` steps at most.
    public var maximumIterations: Int
    /// `batch_size`: samples drawn (with replacement) per step; capped at N.
    public var batchSize: Int
    /// `tol`: stop when the squared centre change of a step is at most `tol` × the mean
    /// per-feature variance of the data; 0 (fairseq) turns the test off.
    public var tolerance: Double
    /// `max_no_improvement`: stop after this many steps in a row without a new minimum of the
    /// smoothed batch inertia; nil never stops early on it.
    public var maximumStepsWithoutImprovement: Int?
    /// `n_init`: k-means++ seedings tried; the one with the lowest inertia on a validation
    /// sample is kept.
    public var initializationCount: Int
    /// `reassignment_ratio`: centres whose count falls below this fraction of the largest are
    /// moved to random batch samples; 0 (fairseq) never reassigns.
    public var reassignmentRatio: Double
    /// `init_size`: samples each seeding (and the validation sample) draws; nil for
    /// 3 × batch size (at least 3 × K), capped at N.
    public var initializationSize: Int?
    /// Candidates per k-means++ centre; nil for 2 + ⌊ln K⌋.
    public var localTrialCount: Int?

    /// fairseq's parameters for `clusterCount` clusters unless overridden.
    public init(
        clusterCount: Int, maximumIterations: Int = 100, batchSize: Int = 10_000,
        tolerance: Double = 0, maximumStepsWithoutImprovement: Int? = 100,
        initializationCount: Int = 20, reassignmentRatio: Double = 0,
        initializationSize: Int? = nil, localTrialCount: Int? = nil
    ) {
        self.clusterCount = clusterCount
        self.maximumIterations = maximumIterations
        self.batchSize = batchSize
        self.tolerance = tolerance
        self.maximumStepsWithoutImprovement = maximumStepsWithoutImprovement
        self.initializationCount = initializationCount
        self.reassignmentRatio = reassignmentRatio
        self.initializationSize = initializationSize
        self.localTrialCount = localTrialCount
    }

    /// Checks every parameter's range.
    ///
    /// - Throws: ``KMeansError/invalidArgument(_:)`` naming the first bad parameter.
    public func validate() throws {
        func require(_ condition: Bool, _ message: String) throws {
            if !condition { throw KMeansError.invalidArgument(message) }
        }
        try require(clusterCount >= 1, "n_clusters must be positive, got \(clusterCount)")
        try require(maximumIterations >= 1, "max_iter must be positive, got \(maximumIterations)")
        try require(batchSize >= 1, "batch_size must be positive, got \(batchSize)")
        try require(tolerance >= 0 && tolerance.isFinite, "tol must be ≥ 0, got \(tolerance)")
        try require(
            (maximumStepsWithoutImprovement ?? 1) >= 1,
            "max_no_improvement must be positive or absent, got \(maximumStepsWithoutImprovement ?? 0)"
        )
        try require(initializationCount >= 1, "n_init must be positive, got \(initializationCount)")
        try require(
            reassignmentRatio >= 0 && reassignmentRatio.isFinite,
            "reassignment_ratio must be ≥ 0, got \(reassignmentRatio)")
        try require((initializationSize ?? 1) >= 1, "init_size must be positive or absent")
        try require((localTrialCount ?? 1) >= 1, "the k-means++ trial count must be positive")
    }

    /// The batch size used on `sampleCount` samples (scikit-learn's `_batch_size`).
    public func effectiveBatchSize(sampleCount: Int) -> Int {
        Swift.min(batchSize, sampleCount)
    }

    /// The seeding and validation sample size on `sampleCount` samples (scikit-learn's
    /// `_init_size`): `init_size`, or 3 × batch size, raised to 3 × K when below K, capped at N.
    public func effectiveInitializationSize(sampleCount: Int) -> Int {
        var size = initializationSize ?? 3 * effectiveBatchSize(sampleCount: sampleCount)
        if size < clusterCount { size = 3 * clusterCount }
        return Swift.min(size, sampleCount)
    }

    /// The number of steps on `sampleCount` samples: ⌊max_iter · N / batch size⌋.
    public func stepCount(sampleCount: Int) -> Int {
        maximumIterations * sampleCount / Swift.max(effectiveBatchSize(sampleCount: sampleCount), 1)
    }

    enum CodingKeys: String, CodingKey {
        case clusterCount = "n_clusters"
        case maximumIterations = "max_iter"
        case batchSize = "batch_size"
        case tolerance = "tol"
        case maximumStepsWithoutImprovement = "max_no_improvement"
        case initializationCount = "n_init"
        case reassignmentRatio = "reassignment_ratio"
        case initializationSize = "init_size"
        case localTrialCount = "n_local_trials"
    }

    /// Decodes, taking fairseq's default for each missing key (`n_clusters` is required).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = MiniBatchKMeansConfiguration(
            clusterCount: try container.decode(Int.self, forKey: .clusterCount))
        self = defaults
        maximumIterations =
            try container.decodeIfPresent(Int.self, forKey: .maximumIterations)
            ?? defaults.maximumIterations
        batchSize =
            try container.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize
        tolerance =
            try container.decodeIfPresent(Double.self, forKey: .tolerance) ?? defaults.tolerance
        if container.contains(.maximumStepsWithoutImprovement) {
            maximumStepsWithoutImprovement = try container.decodeIfPresent(
                Int.self, forKey: .maximumStepsWithoutImprovement)
        }
        initializationCount =
            try container.decodeIfPresent(Int.self, forKey: .initializationCount)
            ?? defaults.initializationCount
        reassignmentRatio =
            try container.decodeIfPresent(Double.self, forKey: .reassignmentRatio)
            ?? defaults.reassignmentRatio
        initializationSize = try container.decodeIfPresent(Int.self, forKey: .initializationSize)
        localTrialCount = try container.decodeIfPresent(Int.self, forKey: .localTrialCount)
    }

    /// Encodes every parameter under its scikit-learn name (absent ones as null).
    public func encode(to encoder: any Swift.Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clusterCount, forKey: .clusterCount)
        try container.encode(maximumIterations, forKey: .maximumIterations)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(tolerance, forKey: .tolerance)
        try container.encode(
            maximumStepsWithoutImprovement, forKey: .maximumStepsWithoutImprovement)
        try container.encode(initializationCount, forKey: .initializationCount)
        try container.encode(reassignmentRatio, forKey: .reassignmentRatio)
        try container.encode(initializationSize, forKey: .initializationSize)
        try container.encode(localTrialCount, forKey: .localTrialCount)
    }
}
