import Foundation

/// How a ``KMeansModel`` was fitted; stored as JSON in the model file's metadata.
public struct KMeansFitReport: Codable, Equatable, Sendable {
    /// The algorithm and its parameters.
    public var algorithm: KMeansAlgorithm
    /// Feature rows the algorithm saw (after sampling).
    public var sampleCount: Int
    /// The fit's inertia (``KMeansFitResult/inertia``: exact for Lloyd, the smoothed estimate
    /// for mini-batch).
    public var inertia: Double
    /// Lloyd iterations or mini-batch steps run.
    public var iterationCount: Int
    /// Why the run ended.
    public var stopReason: KMeansStopReason
    /// The seed of the random generator, when one was given.
    public var seed: UInt64?
    /// The fraction of the corpus's clips (or of the matrix's rows) sampled, fairseq's
    /// `--percent`; nil for all.
    public var sampledFraction: Double?
    /// The corpus folder, manifest or features file the rows came from.
    public var source: String?
    /// The encoder checkpoint whose layer was clustered, for `checkpoint-layer` features.
    public var checkpoint: String?
    /// When the fit finished, ISO 8601.
    public var date: String

    /// The inertia per feature row, as fairseq's `learn_kmeans.py` logs it.
    public var meanInertia: Double { sampleCount > 0 ? inertia / Double(sampleCount) : 0 }

    /// Creates a report; `date` defaults to now.
    public init(
        algorithm: KMeansAlgorithm, sampleCount: Int, inertia: Double, iterationCount: Int,
        stopReason: KMeansStopReason, seed: UInt64? = nil, sampledFraction: Double? = nil,
        source: String? = nil, checkpoint: String? = nil, date: String? = nil
    ) {
        self.algorithm = algorithm
        self.sampleCount = sampleCount
        self.inertia = inertia
        self.iterationCount = iterationCount
        self.stopReason = stopReason
        self.seed = seed
        self.sampledFraction = sampledFraction
        self.source = source
        self.checkpoint = checkpoint
        self.date = date ?? ISO8601DateFormatter().string(from: Date())
    }

    enum CodingKeys: String, CodingKey {
        case algorithm
        case sampleCount = "sample_count"
        case inertia
        case iterationCount = "iterations"
        case stopReason = "stop_reason"
        case seed
        case sampledFraction = "percent"
        case source, checkpoint, date
    }
}
