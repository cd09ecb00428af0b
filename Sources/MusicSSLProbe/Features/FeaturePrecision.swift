import MusicSSLCore

/// How cached features are stored on disk; they are always read back as Float32.
public enum FeaturePrecision: String, Codable, Sendable, CaseIterable {
    /// Exact. The default for window-pooled features (40 KB per 30-s window of a base model).
    case float32
    /// IEEE half precision (relative error ≤ 2⁻¹¹; MARBLE itself probes in 16-bit AMP). The
    /// default for frame features, which are 1,500× larger per window: a 30-s track of a base
    /// model is 30 MB instead of 60 MB.
    case float16

    /// The precision for features pooled as `pooling`: float16 for frames, float32 otherwise.
    public static func standard(for pooling: FeaturePooling) -> FeaturePrecision {
        pooling == .none ? .float16 : .float32
    }

    var writerPrecision: SafeTensorsWriter.Precision {
        switch self {
        case .float32: .float32
        case .float16: .float16
        }
    }
}
