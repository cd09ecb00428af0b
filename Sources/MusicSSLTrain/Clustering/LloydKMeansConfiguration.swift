import Foundation

/// The parameters of ``LloydKMeans``, named and defaulted as scikit-learn's
/// `KMeans(algorithm="lloyd")`.
///
/// Encoded with scikit-learn's parameter names; a missing key takes its default.
public struct LloydKMeansConfiguration: Codable, Equatable, Sendable {
    /// K, `n_clusters`.
    public var clusterCount: Int
    /// `max_iter`: Lloyd iterations per run at most.
    public var maximumIterations: Int
    /// `tol`: stop when Σ‖c_new − c_old‖² is at most `tol` × the mean per-feature variance of
    /// the data.
    public var tolerance: Double
    /// `n_init`: runs from different k-means++ seedings; the lowest inertia wins. Ignored when
    /// initial centroids are given (one run).
    public var initializationCount: Int
    /// Candidates per k-means++ centre; nil for 2 + ⌊ln K⌋.
    public var localTrialCount: Int?

    /// scikit-learn's defaults (`max_iter=300`, `tol=1e-4`, `n_init=1`) unless overridden.
    public init(
        clusterCount: Int, maximumIterations: Int = 300, tolerance: Double = 1e-4,
        initializationCount: Int = 1, localTrialCount: Int? = nil
    ) {
        self.clusterCount = clusterCount
        self.maximumIterations = maximumIterations
        self.tolerance = tolerance
        self.initializationCount = initializationCount
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
        try require(tolerance >= 0 && tolerance.isFinite, "tol must be ≥ 0, got \(tolerance)")
        try require(initializationCount >= 1, "n_init must be positive, got \(initializationCount)")
        try require((localTrialCount ?? 1) >= 1, "the k-means++ trial count must be positive")
    }

    enum CodingKeys: String, CodingKey {
        case clusterCount = "n_clusters"
        case maximumIterations = "max_iter"
        case tolerance = "tol"
        case initializationCount = "n_init"
        case localTrialCount = "n_local_trials"
    }

    /// Decodes, taking scikit-learn's default for each missing key (`n_clusters` is required).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = LloydKMeansConfiguration(
            clusterCount: try container.decode(Int.self, forKey: .clusterCount))
        self = defaults
        maximumIterations =
            try container.decodeIfPresent(Int.self, forKey: .maximumIterations)
            ?? defaults.maximumIterations
        tolerance =
            try container.decodeIfPresent(Double.self, forKey: .tolerance) ?? defaults.tolerance
        initializationCount =
            try container.decodeIfPresent(Int.self, forKey: .initializationCount)
            ?? defaults.initializationCount
        localTrialCount = try container.decodeIfPresent(Int.self, forKey: .localTrialCount)
    }
}
