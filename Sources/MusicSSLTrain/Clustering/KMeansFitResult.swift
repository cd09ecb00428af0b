import MusicSSLCore

/// Why a k-means run stopped.
public enum KMeansStopReason: String, Codable, Sendable {
    /// All iterations (Lloyd) or `max_iter · N / batch_size` steps (mini-batch) ran.
    case iterationLimit = "iteration-limit"
    /// No sample changed cluster in a Lloyd iteration (scikit-learn's strict convergence).
    case labelsUnchanged = "labels-unchanged"
    /// The squared centre shift fell within the tolerance.
    case centreShiftWithinTolerance = "centre-shift-within-tolerance"
    /// The smoothed batch inertia went `max_no_improvement` steps without a new minimum.
    case noImprovement = "no-improvement"
}

/// What one k-means fit produced.
public struct KMeansFitResult {
    /// `[K, D]`.
    public let centroids: Tensor
    /// scikit-learn's `inertia_`: for Lloyd the exact Σ‖x − c_label‖² over the data; for
    /// mini-batch (with `compute_labels=False`, as fairseq) the smoothed per-sample batch
    /// inertia × N, an estimate.
    public let inertia: Double
    /// Lloyd iterations or mini-batch steps run (scikit-learn's `n_iter_` / `n_steps_`).
    public let iterationCount: Int
    /// Why the run ended.
    public let stopReason: KMeansStopReason
}

/// Progress of a fit, for a progress bar.
public enum KMeansProgress: Sendable {
    /// `completed` of `total` k-means++ seedings done.
    case seeding(completed: Int, total: Int)
    /// `completed` of at most `maximum` iterations or steps done; the smoothed mean inertia per
    /// sample so far when known.
    case iteration(completed: Int, maximum: Int, meanInertia: Double?)
}
