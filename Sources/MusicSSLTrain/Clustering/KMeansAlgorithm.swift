import MusicSSLCore

/// Which k-means runs, with its parameters: fairseq's mini-batch k-means or full Lloyd.
///
/// Encoded as `{"name": "minibatch" | "lloyd", "parameters": {…}}` with scikit-learn's
/// parameter names.
public enum KMeansAlgorithm: Equatable, Sendable, Codable {
    /// ``MiniBatchKMeans``.
    case miniBatch(MiniBatchKMeansConfiguration)
    /// ``LloydKMeans`` from k-means++ seedings.
    case lloyd(LloydKMeansConfiguration)

    /// `minibatch` or `lloyd`.
    public var name: String {
        switch self {
        case .miniBatch: "minibatch"
        case .lloyd: "lloyd"
        }
    }

    /// K.
    public var clusterCount: Int {
        switch self {
        case .miniBatch(let configuration): configuration.clusterCount
        case .lloyd(let configuration): configuration.clusterCount
        }
    }

    /// Runs the algorithm on the rows of `points` (`[N, D]`).
    ///
    /// - Throws: ``KMeansError`` as the algorithm's `fit`.
    public func fit(
        _ points: Tensor, using generator: inout some RandomNumberGenerator,
        progress: ((KMeansProgress) -> Void)? = nil
    ) throws -> KMeansFitResult {
        switch self {
        case .miniBatch(let configuration):
            try MiniBatchKMeans(configuration).fit(points, using: &generator, progress: progress)
        case .lloyd(let configuration):
            try LloydKMeans(configuration).fit(points, using: &generator, progress: progress)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case name, parameters
    }

    /// Decodes `{"name": …, "parameters": …}`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .name)
        switch name {
        case "minibatch":
            self = .miniBatch(
                try container.decode(MiniBatchKMeansConfiguration.self, forKey: .parameters))
        case "lloyd":
            self = .lloyd(try container.decode(LloydKMeansConfiguration.self, forKey: .parameters))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .name, in: container,
                debugDescription: "unknown k-means algorithm '\(name)' (minibatch or lloyd)")
        }
    }

    /// Encodes `{"name": …, "parameters": …}`.
    public func encode(to encoder: any Swift.Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        switch self {
        case .miniBatch(let configuration): try container.encode(configuration, forKey: .parameters)
        case .lloyd(let configuration): try container.encode(configuration, forKey: .parameters)
        }
    }
}
