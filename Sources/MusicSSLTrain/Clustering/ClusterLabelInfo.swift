/// The `<split>.km.json` sidecar MusicSSL writes next to fairseq's label files.
struct ClusterLabelInfo: Codable, Equatable {
    /// Labels per second.
    var labelRate: Double?
    /// K.
    var clusterCount: Int
    /// The ``ClusterFeatureKind`` as written.
    var featureKind: String?
    /// The k-means model file.
    var model: String?

    enum CodingKeys: String, CodingKey {
        case labelRate = "label_rate"
        case clusterCount = "clusters"
        case featureKind = "feature_kind"
        case model
    }
}
