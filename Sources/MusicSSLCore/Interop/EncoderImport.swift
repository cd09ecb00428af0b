import Foundation

/// An encoder read from another format, with what the import did.
public struct ImportedEncoder {
    /// The model, in evaluation mode.
    public var model: EncoderModel
    /// Key-by-key account of the weights (every parameter loaded unless import was lenient).
    public var report: LoadReport
    /// Configuration settings that were read but do not affect the encoder.
    public var ignoredSettings: [String]
    /// Where it came from.
    public var provenance: CheckpointProvenance
}

extension EncoderModel {
    /// Loads a HuggingFace model directory (`config.json` + `model.safetensors`) strictly, in
    /// evaluation mode.
    ///
    /// - Throws: ``EncoderCheckpointError`` for an unsupported config, a missing weights file, or
    ///   weights that do not match the config (named key by key).
    public convenience init(huggingFaceDirectory directory: URL) throws {
        let (imported, tensors) = try EncoderCheckpoint.readHuggingFaceDirectory(directory)
        var generator = SplitMix64(seed: 0)
        try self.init(configuration: imported.configuration, using: &generator)
        setTraining(false)
        try load(stateDict: tensors, naming: .huggingFace, source: directory.path)
    }
}

extension EncoderCheckpoint {
    /// Loads a HuggingFace model directory; see ``EncoderModel/init(huggingFaceDirectory:)``.
    ///
    /// - Parameter strict: When false, loads what matches and reports the rest.
    public static func importHuggingFace(
        directory: URL, strict: Bool = true
    ) throws -> ImportedEncoder {
        let (imported, tensors) = try readHuggingFaceDirectory(directory)
        let model = try freshModel(imported.configuration)
        let report = try model.load(
            stateDict: tensors, naming: .huggingFace, strict: strict, source: directory.path)
        return ImportedEncoder(
            model: model, report: report, ignoredSettings: imported.ignoredSettings,
            provenance: CheckpointProvenance(source: directory.path, format: "huggingface"))
    }

    /// Imports whatever `url` is: a HuggingFace directory, a MusicSSL checkpoint, or an HF
    /// `model.safetensors` next to its `config.json`.
    ///
    /// PyTorch pickles are read with ``TorchCheckpoint``'s restricted unpickler: a `.bin` next to
    /// a `config.json` is a HuggingFace checkpoint, a `.pt` a fairseq one (`model` + `cfg`, or
    /// `args` in older files).
    ///
    /// - Throws: ``EncoderCheckpointError/unsupportedFormat(path:reason:)`` for anything
    ///   unrecognised; ``TorchCheckpointError`` for a malformed or refused pickle.
    public static func importEncoder(from url: URL, strict: Bool = true) throws -> ImportedEncoder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw EncoderCheckpointError.unsupportedFormat(
                path: url.path, reason: "no such file or directory")
        }
        if isDirectory.boolValue { return try importHuggingFace(directory: url, strict: strict) }
        switch url.pathExtension.lowercased() {
        case "safetensors":
            let file = try SafeTensorsFile(contentsOf: url)
            if file.metadata[configurationKey] != nil {
                let (model, provenance) = try read(url)
                let report = LoadReport(
                    naming: .huggingFace, loaded: model.namedParameters().map(\.name))
                return ImportedEncoder(
                    model: model, report: report, ignoredSettings: [], provenance: provenance)
            }
            let directory = url.deletingLastPathComponent()
            guard
                FileManager.default.fileExists(
                    atPath: directory.appendingPathComponent("config.json").path)
            else {
                throw EncoderCheckpointError.invalidMetadata(
                    path: url.path, key: configurationKey,
                    reason:
                        "missing, and no config.json beside the file: neither a MusicSSL nor an HF checkpoint"
                )
            }
            return try importHuggingFace(directory: directory, weights: url, strict: strict)
        case "bin", "pt", "pth", "ckpt":
            let directory = url.deletingLastPathComponent()
            if url.pathExtension.lowercased() == "bin",
               FileManager.default.fileExists(atPath: directory.appendingPathComponent("config.json").path) {
                return try importHuggingFace(directory: directory, weights: url, strict: strict)
            }
            return try importFairseq(checkpoint: TorchCheckpoint(contentsOf: url), strict: strict)
        default:
            throw EncoderCheckpointError.unsupportedFormat(
                path: url.path,
                reason: "expected an HF model directory, a .safetensors file, or a .bin/.pt pickle")
        }
    }

    private static func importHuggingFace(
        directory: URL, weights: URL, strict: Bool
    ) throws -> ImportedEncoder {
        let imported = try readHuggingFaceConfig(directory)
        let model = try freshModel(imported.configuration)
        let tensors = try weightTensors(weights)
        let report = try model.load(
            stateDict: tensors, naming: .huggingFace, strict: strict, source: weights.path)
        return ImportedEncoder(
            model: model, report: report, ignoredSettings: imported.ignoredSettings,
            provenance: CheckpointProvenance(source: weights.path, format: "huggingface"))
    }

    private static func readHuggingFaceConfig(
        _ directory: URL
    ) throws -> HuggingFaceConfigurationImport {
        let configURL = directory.appendingPathComponent("config.json")
        let data: Data
        do {
            data = try Data(contentsOf: configURL)
        } catch {
            throw EncoderCheckpointError.unsupportedFormat(
                path: configURL.path, reason: "cannot be read: \(error)")
        }
        return try EncoderConfiguration.importing(
            huggingFaceConfig: EncoderConfiguration.jsonObject(data, source: configURL.path),
            source: configURL.path)
    }

    /// The config and the weights of an HF directory.
    static func readHuggingFaceDirectory(
        _ directory: URL
    ) throws -> (HuggingFaceConfigurationImport, [String: Tensor]) {
        let imported = try readHuggingFaceConfig(directory)
        let weights = directory.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weights.path) else {
            let pickle = directory.appendingPathComponent("pytorch_model.bin")
            if FileManager.default.fileExists(atPath: pickle.path) {
                return (imported, try weightTensors(pickle))
            }
            throw EncoderCheckpointError.unsupportedFormat(
                path: directory.path,
                reason: "has no model.safetensors (sharded checkpoints are not supported)")
        }
        return (imported, try SafeTensorsFile(contentsOf: weights).allTensors())
    }
}

extension EncoderCheckpoint {
    /// The tensors of a weights file: safetensors, or a PyTorch pickle read without executing it.
    static func weightTensors(_ url: URL) throws -> [String: Tensor] {
        if url.pathExtension.lowercased() == "safetensors" {
            return try SafeTensorsFile(contentsOf: url).allTensors()
        }
        return try TorchCheckpoint(contentsOf: url).stateDict()
    }

    /// Builds an encoder from a fairseq `.pt` file: `model` holds the weights and `cfg` (or the
    /// older `args`) the configuration.
    public static func importFairseq(checkpoint: TorchCheckpoint, strict: Bool = true) throws -> ImportedEncoder {
        let source = checkpoint.url.path
        let configuration = checkpoint.root["cfg"] ?? checkpoint.root["args"]
        guard let cfg = configuration?.foundationObject as? [String: Any] else {
            throw EncoderCheckpointError.unsupportedFormat(
                path: source, reason: "has neither a 'cfg' nor an 'args' dictionary: not a fairseq checkpoint")
        }
        let stateDict = try checkpoint.stateDict(at: ["model"])
        return try importFairseq(stateDict: stateDict, cfg: cfg, source: source, strict: strict)
    }

    /// Builds an encoder from a decoded fairseq checkpoint: its `cfg` (or `cfg["model"]`) and its
    /// `model` state dict (HuBERT, data2vec-audio or MERT names; training-only tensors ignored).
    ///
    /// - Parameters:
    ///   - stateDict: `checkpoint["model"]`, tensors by fairseq name.
    ///   - cfg: `checkpoint["cfg"]`; see ``EncoderConfiguration/init(fairseqConfig:source:)``.
    ///   - source: Named in errors and recorded as provenance.
    ///   - strict: When false, loads what matches and reports the rest.
    public static func importFairseq(
        stateDict: [String: Tensor], cfg: [String: Any], source: String, strict: Bool = true
    ) throws -> ImportedEncoder {
        let configuration = try EncoderConfiguration(fairseqConfig: cfg, source: source)
        let model = try freshModel(configuration)
        let report = try model.load(
            stateDict: stateDict, naming: .fairseq, strict: strict, source: source)
        return ImportedEncoder(
            model: model, report: report, ignoredSettings: [],
            provenance: CheckpointProvenance(source: source, format: "fairseq"))
    }
}
