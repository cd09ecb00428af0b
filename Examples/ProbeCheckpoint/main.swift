// An example of probing a checkpoint one did not train: import a HuggingFace model directory
// (config.json + model.safetensors or pytorch_model.bin), synthesise a small labelled pitch
// task with MusicSSL's synthetic suite, and probe every layer of the frozen encoder with
// MARBLE's MLP — extraction, the layer sweep, selection on validation and the test score.
//
//   swift run -c release probe-checkpoint HF_MODEL_DIR [--epochs N] [--items N]
//
// make examples runs it on the tiny HubertModel that transformers wrote for the parity tests
// (Tests/MusicSSLCoreTests/Fixtures/hf_hubert_bin).

import Foundation
import MusicSSLCore
import MusicSSLProbe

/// `--name value` from the arguments, or `fallback`.
func option(_ name: String, in arguments: [String], default fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
        let value = Int(arguments[index + 1]), value > 0
    else { return fallback }
    return value
}

do {
    let arguments = Array(CommandLine.arguments.dropFirst())
    guard let checkpointPath = arguments.first, !checkpointPath.hasPrefix("--") else {
        print("usage: probe-checkpoint HF_MODEL_DIR [--epochs N] [--items N]")
        exit(2)
    }
    let epochs = option("--epochs", in: arguments, default: 20)
    let items = option("--items", in: arguments, default: 48)

    // 1. The checkpoint: any HubertModel / Data2VecAudioModel / MERT directory, or a fairseq .pt.
    let imported = try EncoderCheckpoint.importEncoder(from: URL(fileURLWithPath: checkpointPath))
    let model = imported.model
    print(
        "imported \(checkpointPath): \(model.configuration.layerCount) layers × "
            + "\(model.configuration.modelDimensions), \(model.parameterCount) parameters")

    // 2. A labelled task: synthetic notes whose class is their MIDI pitch, written as audio
    //    files and a CSV manifest, read back through the same loader as users' own data.
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("probe-checkpoint-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var suite = SyntheticSuite.Configuration()
    suite.tasks = [.pitch]
    suite.trainItems = items
    suite.validItems = max(items / 3, 1)
    suite.testItems = max(items / 3, 1)
    suite.corpusFiles = 0
    _ = try SyntheticSuite(configuration: suite).write(to: folder)
    let task = try CSVTask.load(
        manifest: folder.appendingPathComponent("tasks/pitch/manifest.csv"), name: "pitch")
    print("task: \(task.items.count) clips, \(task.kind.outputCount) pitch classes")

    // 3. Extract every hidden state once, then sweep MARBLE's MLP over the layers.
    var training = ProbeTrainingConfiguration(learningRate: 1e-3, layer: .all, schedule: .standard)
    training.batchSize = 16
    var pipeline = ProbePipeline(
        model: model, cacheDirectory: folder.appendingPathComponent("cache"),
        sweep: ProbeSweepConfiguration(training: training, learningRates: [1e-3]))
    pipeline.maximumEpochs = epochs
    let outcome = try pipeline.run(task)

    // 4. Scores per layer (validation picks the row) and the Table-1 line.
    print("layer   valid acc   test acc")
    for configuration in outcome.sweep.configurations {
        let valid = configuration.meanValid("accuracy") ?? .nan
        let test = configuration.meanTest("accuracy") ?? .nan
        let layer = "\(configuration.layer)".padding(toLength: 6, withPad: " ", startingAt: 0)
        print(layer + String(format: "  %8.1f %%  %8.1f %%", 100 * valid, 100 * test))
    }
    var report = ProbeReport(tasks: [ReportTask(task, title: "Pitch")])
    report.add(outcome.sweep, model: URL(fileURLWithPath: checkpointPath).lastPathComponent)
    print(report.markdownTable(), terminator: "")
} catch {
    FileHandle.standardError.write(Data("probe-checkpoint: \(error)\n".utf8))
    exit(1)
}
