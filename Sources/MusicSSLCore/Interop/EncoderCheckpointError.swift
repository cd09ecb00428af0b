/// Why an encoder checkpoint or configuration could not be imported, loaded or exported.
///
/// Messages name the file or configuration, the key at fault and the reason, e.g.
/// `[checkpoint] /models/mert/config.json: key 'conv_bias': true is not supported (MusicSSL's
/// feature extractor has no convolution bias)`.
public enum EncoderCheckpointError: Error, CustomStringConvertible, Equatable {
    /// A configuration value is missing, has the wrong type or describes an unsupported graph.
    case invalidConfiguration(source: String, key: String, reason: String)
    /// The configuration's `model_type` is not one MusicSSL maps.
    case unsupportedModelType(source: String, modelType: String)
    /// The file or directory is not in a format MusicSSL reads (yet).
    case unsupportedFormat(path: String, reason: String)
    /// A MusicSSL checkpoint lacks a metadata key, or its value cannot be decoded.
    case invalidMetadata(path: String, key: String, reason: String)
    /// A state dict does not match the model in strict mode; the report names every key.
    case stateDictMismatch(source: String, report: LoadReport)
    /// The model has no HuggingFace equivalent.
    case notExportable(reason: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let source, let key, let reason):
            "[checkpoint] \(source): key '\(key)': \(reason)"
        case .unsupportedModelType(let source, let modelType):
            "[checkpoint] \(source): model_type '\(modelType)' is not supported "
                + "(expected 'hubert', 'data2vec-audio' or 'mert_model')"
        case .unsupportedFormat(let path, let reason):
            "[checkpoint] \(path): \(reason)"
        case .invalidMetadata(let path, let key, let reason):
            "[checkpoint] \(path): metadata key '\(key)': \(reason)"
        case .stateDictMismatch(let source, let report):
            "[checkpoint] \(source): the state dict does not match the model: \(report.problemSummary)"
        case .notExportable(let reason):
            "[checkpoint] cannot export to HuggingFace: \(reason)"
        }
    }
}
