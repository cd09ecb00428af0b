import Foundation
import MusicSSLCore

extension EncoderConfiguration {
    /// One line naming the architecture: family, depth, width and sample rate.
    var summary: String {
        let family: String
        let positional: String
        switch positionalConvolution {
        case .weightNormalized(let kernelSize, let groupCount):
            family = "HuBERT-style"
            positional = "weight-normed pos conv k\(kernelSize)/g\(groupCount)"
        case .stacked(let layerCount, let kernelSize, let groupCount):
            family = "data2vec-style"
            positional = "\(layerCount) pos convs k\(kernelSize)/g\(groupCount)"
        }
        let extractor =
            featureExtractorNormalization == .groupNormFirstLayer ? "group-norm" : "layer-norm"
        let placementName = placement == .preNorm ? "pre-norm" : "post-norm"
        return
            "\(family), \(layerCount) \(placementName) layers × \(modelDimensions) (\(headCount) heads, "
            + "FFN \(feedForwardDimensions)), \(extractor) extractor of \(convolutionLayers.count) convs, "
            + "\(positional), \(sampleRate) Hz"
    }
}

/// What `msl info` prints for an encoder checkpoint: architecture, parameter count, provenance.
enum CheckpointDescription {
    /// True when `path` looks like a checkpoint rather than audio: a directory or a
    /// `.safetensors` file.
    static func isCheckpoint(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return path.hasSuffix(".safetensors")
            || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                && isDirectory.boolValue)
    }

    /// Lines describing the checkpoint at `url`; reads only headers and config, not weights.
    static func describe(_ url: URL) throws -> [String] {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        let weights = isDirectory.boolValue ? url.appendingPathComponent("model.safetensors") : url
        let file = try SafeTensorsFile(contentsOf: weights)
        let parameterCount = file.tensorNames.reduce(0) { count, name in
            count + (file.info(for: name)?.shape.reduce(1, *) ?? 0)
        }
        let configuration: EncoderConfiguration
        let provenance: String
        if let json = file.metadata[EncoderCheckpoint.configurationKey] {
            configuration = try JSONDecoder().decode(
                EncoderConfiguration.self, from: Data(json.utf8))
            let source = file.metadata[EncoderCheckpoint.sourceKey] ?? "—"
            let format = file.metadata[EncoderCheckpoint.sourceFormatKey] ?? "unknown"
            let date = file.metadata[EncoderCheckpoint.dateKey] ?? "unknown"
            provenance = "MusicSSL checkpoint; from \(format) \(source); written \(date)"
        } else {
            let configURL = weights.deletingLastPathComponent().appendingPathComponent(
                "config.json")
            configuration = try EncoderConfiguration(
                huggingFaceConfig: try Data(contentsOf: configURL), source: configURL.path)
            provenance = "HuggingFace model directory"
        }
        return [
            "\(url.path): \(provenance)",
            "  architecture: \(configuration.summary)",
            "  parameters: \(parameterCount.formatted()) in \(file.tensorNames.count) tensors",
        ]
    }
}
