import ArgumentParser
import Foundation
import MusicSSLCore

/// The formats `msl convert` writes.
enum CheckpointTarget: String, ExpressibleByArgument, CaseIterable {
    /// One `.safetensors` file with the configuration and provenance in its metadata.
    case musicssl
    /// A HuggingFace model directory (`config.json` + `model.safetensors`).
    case hf
}

/// `msl convert SRC -o DST [--to musicssl|hf]`: imports an encoder checkpoint and writes it as a
/// MusicSSL checkpoint or a HuggingFace model directory.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert an encoder checkpoint to MusicSSL's format or a HuggingFace directory.",
        discussion: """
            SRC is a HuggingFace model directory (config.json + model.safetensors of a \
            HubertModel, Data2VecAudioModel or MERTModel), an HF model.safetensors beside its \
            config.json, or a MusicSSL checkpoint. PyTorch pickles (pytorch_model.bin, fairseq \
            .pt) are not read yet. Every weight must match the configuration; a missing, \
            unexpected or mis-shaped tensor is reported by name and nothing is written, unless \
            --lenient is given.

            --to musicssl (default) writes one .safetensors file; --to hf writes config.json \
            and model.safetensors into the directory DST, loadable with transformers' \
            from_pretrained.
            """)

    @Argument(help: "The checkpoint to convert.")
    var source: String

    @Option(
        name: .shortAndLong,
        help: "The .safetensors file (--to musicssl) or directory (--to hf) to write.")
    var output: String

    @Option(help: "The output format: musicssl or hf.")
    var to: CheckpointTarget = .musicssl

    @Flag(help: "Load the tensors that match and report the rest instead of failing.")
    var lenient = false

    @Flag(help: "Replace an existing output.")
    var overwrite = false

    func validate() throws {
        if to == .musicssl, !output.hasSuffix(".safetensors") {
            throw ValidationError(
                "With --to musicssl, -o must name a .safetensors file, got '\(output)'.")
        }
    }

    func run() throws {
        let destination = URL(fileURLWithPath: output)
        let existing =
            to == .hf ? destination.appendingPathComponent("model.safetensors") : destination
        if !overwrite, FileManager.default.fileExists(atPath: existing.path) {
            throw ValidationError("'\(existing.path)' exists; pass --overwrite to replace it.")
        }
        let imported = try EncoderCheckpoint.importEncoder(
            from: URL(fileURLWithPath: source), strict: !lenient)
        let log = FileHandle.standardError
        log.write(Data("msl convert: \(imported.report)\n".utf8))
        for setting in imported.ignoredSettings {
            log.write(Data("msl convert: ignored config setting \(setting)\n".utf8))
        }
        switch to {
        case .musicssl:
            try EncoderCheckpoint.save(
                imported.model, provenance: imported.provenance, to: destination)
        case .hf:
            try EncoderCheckpoint.exportHuggingFace(imported.model, to: destination)
        }
        print(
            "\(output): \(imported.model.configuration.summary), "
                + "\(imported.model.parameterCount.formatted()) parameters")
    }
}
