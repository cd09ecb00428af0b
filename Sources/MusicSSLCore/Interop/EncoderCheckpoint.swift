import Foundation

/// Where a MusicSSL encoder checkpoint came from, stored in its metadata.
public struct CheckpointProvenance: Equatable, Sendable {
    /// The file or directory the weights were converted from; `nil` for a model trained here.
    public var source: String?
    /// The source's format (`huggingface`, `fairseq`, `musicssl`, `training`, …).
    public var format: String
    /// When the checkpoint was written, ISO 8601.
    public var date: String

    /// Creates provenance; `date` defaults to now.
    public init(source: String? = nil, format: String = "training", date: String? = nil) {
        self.source = source
        self.format = format
        self.date = date ?? ISO8601DateFormatter().string(from: Date())
    }
}

/// MusicSSL's encoder checkpoint: one `.safetensors` file with HuggingFace parameter names whose
/// metadata holds the JSON-encoded ``EncoderConfiguration`` and the ``CheckpointProvenance``.
///
/// ```swift
/// try EncoderCheckpoint.save(model, provenance: .init(source: "hubert-base", format: "huggingface"), to: url)
/// let restored = try EncoderCheckpoint.load(url)
/// ```
public enum EncoderCheckpoint {
    /// Metadata key of the JSON-encoded ``EncoderConfiguration``.
    public static let configurationKey = "musicssl.encoder_configuration"
    /// Metadata key of ``CheckpointProvenance/source``.
    public static let sourceKey = "musicssl.source"
    /// Metadata key of ``CheckpointProvenance/format``.
    public static let sourceFormatKey = "musicssl.source_format"
    /// Metadata key of ``CheckpointProvenance/date``.
    public static let dateKey = "musicssl.date"

    /// Writes `model` atomically to `url`.
    ///
    /// - Throws: ``SafeTensorsError`` for a file system failure (the file is then unchanged).
    public static func save(
        _ model: EncoderModel, provenance: CheckpointProvenance = .init(), to url: URL
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let configuration = String(decoding: try encoder.encode(model.configuration), as: UTF8.self)
        var metadata = [
            configurationKey: configuration, sourceFormatKey: provenance.format,
            dateKey: provenance.date,
        ]
        metadata[sourceKey] = provenance.source
        try SafeTensorsWriter.write(
            model.namedParameters().map { ($0.name, $0.parameter.value) }, metadata: metadata,
            to: url)
    }

    /// Reads a checkpoint written by ``save(_:provenance:to:)``, in evaluation mode.
    public static func load(_ url: URL) throws -> EncoderModel {
        try read(url).model
    }

    /// Reads a checkpoint and its provenance.
    ///
    /// - Throws: ``EncoderCheckpointError/invalidMetadata(path:key:reason:)`` when the
    ///   configuration key is missing or undecodable, ``EncoderCheckpointError/stateDictMismatch(source:report:)``
    ///   when the tensors do not fit it, ``SafeTensorsError`` for a malformed file.
    public static func read(
        _ url: URL
    ) throws -> (model: EncoderModel, provenance: CheckpointProvenance) {
        let file = try SafeTensorsFile(contentsOf: url)
        let configuration = try configuration(in: file)
        let model = try freshModel(configuration)
        try model.load(stateDict: try file.allTensors(), naming: .huggingFace, source: url.path)
        let provenance = CheckpointProvenance(
            source: file.metadata[sourceKey], format: file.metadata[sourceFormatKey] ?? "unknown",
            date: file.metadata[dateKey] ?? "unknown")
        return (model, provenance)
    }

    /// The configuration stored in a MusicSSL checkpoint's metadata.
    static func configuration(in file: SafeTensorsFile) throws -> EncoderConfiguration {
        guard let json = file.metadata[configurationKey] else {
            throw EncoderCheckpointError.invalidMetadata(
                path: file.url.path, key: configurationKey,
                reason:
                    "missing; not a MusicSSL encoder checkpoint (an HF model.safetensors needs its config.json)"
            )
        }
        do {
            return try JSONDecoder().decode(EncoderConfiguration.self, from: Data(json.utf8))
        } catch {
            throw EncoderCheckpointError.invalidMetadata(
                path: file.url.path, key: configurationKey,
                reason: "not a valid encoder configuration: \(error)")
        }
    }

    /// A model of `configuration` in evaluation mode whose weights are about to be replaced.
    static func freshModel(_ configuration: EncoderConfiguration) throws -> EncoderModel {
        var generator = SplitMix64(seed: 0)
        let model = try EncoderModel(configuration: configuration, using: &generator)
        model.setTraining(false)
        return model
    }

    /// Writes `model` as a HuggingFace model directory: `config.json` (see
    /// ``EncoderConfiguration/huggingFaceConfig()``) and `model.safetensors` with the
    /// weight-normalised convolution as `weight_g` / `weight_v`, which transformers renames on load.
    ///
    /// - Parameter directory: Created if missing; existing files of those names are replaced.
    /// - Throws: ``EncoderCheckpointError/notExportable(reason:)`` when transformers has no such
    ///   model, file system errors otherwise.
    public static func exportHuggingFace(_ model: EncoderModel, to directory: URL) throws {
        let config = try model.configuration.huggingFaceConfigData()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // transformers refuses safetensors files without format metadata.
        try SafeTensorsWriter.write(
            model.namedParameters().map { ($0.name, $0.parameter.value) },
            metadata: ["format": "pt"],
            to: directory.appendingPathComponent("model.safetensors"))
        try AtomicFile.write(to: directory.appendingPathComponent("config.json")) { sink in
            try config.withUnsafeBytes { try sink.append($0) }
        }
    }
}
