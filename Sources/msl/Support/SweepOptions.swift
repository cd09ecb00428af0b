import ArgumentParser
import Foundation
import MusicSSLProbe

/// The probe grid and training options shared by `msl probe` and `msl benchmark`.
struct SweepOptions: ParsableArguments {
    @Option(
        help:
            "Comma-separated Adam learning rates (default: MARBLE's 5e-5,1e-4,5e-4,1e-3,5e-3,1e-2)."
    )
    var learningRates: String?

    @Option(
        help:
            "Comma-separated layer selections: all (softmax-weighted sum of layers 1..L), all+0 (with layer 0), or hidden-state indices (default: all and every layer 0..L)."
    )
    var layers: String?

    @Option(help: "Comma-separated seeds; with several, tables show mean ± sd (default: 1234).")
    var seeds: String = "1234"

    @Option(help: "mlp (MARBLE: 512 hidden, ReLU, dropout 0.2) or linear.")
    var probe: ProbeKind = .mlp

    @Option(help: "Epoch limit for every task (default: each task's MARBLE limit, 50 or 100).")
    var maxEpochs: Int?

    @Option(help: "Items per batch.")
    var batchSize = 64

    @Option(
        help:
            "Degenerate labels in macro ROC-AUC/AP: skip (default) or torchmetrics (scored 0, kept)."
    )
    var degenerateLabels: DegeneratePolicyOption = .skip

    /// `--probe` values.
    enum ProbeKind: String, ExpressibleByArgument, CaseIterable {
        case mlp, linear
    }

    /// `--degenerate-labels` values.
    enum DegeneratePolicyOption: String, ExpressibleByArgument, CaseIterable {
        case skip, torchmetrics
    }

    func validate() throws {
        _ = try parsedLearningRates()
        _ = try parsedLayers()
        _ = try parsedSeeds()
        if let maxEpochs, maxEpochs < 1 {
            throw ValidationError("--max-epochs must be at least 1, got \(maxEpochs).")
        }
        guard batchSize >= 1 else {
            throw ValidationError("--batch-size must be at least 1, got \(batchSize).")
        }
    }

    func parsedLearningRates() throws -> [Double] {
        guard let learningRates else { return ProbeSweepConfiguration.marbleLearningRates }
        return try Self.list(learningRates, option: "--learning-rates") { text in
            Double(text).flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        }
    }

    func parsedLayers() throws -> [LayerSelection]? {
        guard let layers else { return nil }
        return try Self.list(layers, option: "--layers") { LayerSelection($0) }
    }

    func parsedSeeds() throws -> [UInt64] {
        try Self.list(seeds, option: "--seeds") { UInt64($0) }
    }

    /// The sweep configuration these options describe (the schedule is each task's own).
    func configuration() throws -> ProbeSweepConfiguration {
        var training = ProbeTrainingConfiguration(
            learningRate: 1e-3, layer: .all, schedule: .standard)
        training.architecture = probe == .mlp ? .marble : .linear
        training.batchSize = batchSize
        training.degenerateLabelPolicy = degenerateLabels == .skip ? .skipDegenerate : .torchmetrics
        return ProbeSweepConfiguration(
            training: training, learningRates: try parsedLearningRates(),
            layers: try parsedLayers(),
            seeds: try parsedSeeds())
    }

    private static func list<T>(_ text: String, option: String, parse: (String) -> T?) throws -> [T]
    {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty else { throw ValidationError("\(option) needs at least one value.") }
        return try parts.map { part in
            guard let value = parse(part) else {
                throw ValidationError("\(option): cannot read '\(part)'.")
            }
            return value
        }
    }
}
