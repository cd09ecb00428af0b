import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// Every task, from its data set's real layout (a tiny tree) to a report: extraction into the
/// cache, the probe grid, selection on validation, test scores under the task's metric.
@Suite("Tasks end to end")
struct TaskEndToEndTests {
    /// A tiny encoder: 2 layers of width 16 over an 8-channel wav2vec2 extractor.
    static func model() throws -> EncoderModel {
        var generator = SplitMix64(seed: 11)
        let configuration = EncoderConfiguration(
            convolutionLayers: ConvolutionLayerShape.wav2vec2(channels: 8), modelDimensions: 16, layerCount: 2,
            headCount: 2, feedForwardDimensions: 32,
            positionalConvolution: .weightNormalized(kernelSize: 8, groupCount: 2), dropoutProbability: 0,
            attentionDropoutProbability: 0, inputDropoutProbability: 0, layerDropProbability: 0)
        return try EncoderModel(configuration: configuration, using: &generator)
    }

    /// A small grid: two learning rates, the weighted sum and layer 2, three epochs.
    static func pipeline(model: EncoderModel, folder: URL) -> ProbePipeline {
        var training = ProbeTrainingConfiguration(learningRate: 1e-3, layer: .all, schedule: .standard)
        training.batchSize = 4
        var pipeline = ProbePipeline(
            model: model, cacheDirectory: folder.appendingPathComponent("cache"),
            runDirectory: folder.appendingPathComponent("runs"),
            sweep: ProbeSweepConfiguration(
                training: training, learningRates: [1e-3, 1e-2], layers: [.all, .single(2)], seeds: [1]))
        pipeline.maximumEpochs = 3
        return pipeline
    }

    /// Runs `task` and checks what every task must give: a full grid, a selection, finite
    /// scores for every reported column, and a report folder.
    static func check(_ task: ProbeTask, folder: URL) throws {
        let pipeline = pipeline(model: try model(), folder: folder)
        let outcome = try pipeline.run(task)
        #expect(outcome.extraction.failed.isEmpty, "\(outcome.extraction.failed)")
        #expect(outcome.sweep.runs.count == 4)
        let selected = try #require(outcome.sweep.selected)
        let report = ReportTask(task)
        for column in report.columns {
            let value = try #require(selected.meanTest(column.score), "\(task.name): no \(column.score)")
            #expect(value.isFinite, "\(task.name) \(column.score) = \(value)")
        }
        #expect(selected.runs.allSatisfy { $0.valid.monitor.isFinite })
        if case .weightedSum = outcome.sweep.runs[0].layer {
            let weights = try #require(outcome.sweep.runs[0].layerWeights)
            #expect(weights.map(\.layer) == [1, 2])
            #expect(abs(weights.map(\.weight).reduce(0, +) - 1) < 1e-5)
        }
        var probeReport = ProbeReport(tasks: [report])
        probeReport.add(outcome.sweep, model: "tiny")
        try ProbeReportWriter(report: probeReport).write(to: folder.appendingPathComponent("report"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("report/plots/\(task.name).svg").path))

        // A second run reuses every cached item and every finished run.
        var reused = 0
        var loaded = 0
        _ = try pipeline.run(task) { event in
            switch event {
            case .extraction(let item): if item.reused { reused += 1 }
            case .sweep(let progress): if progress.wasLoaded { loaded += 1 }
            case .featuresReady: break
            }
        }
        #expect(reused == task.items.count && loaded == 4)
    }

    @Test("each of the 13 named tasks runs from its data set layout to scores and a report", arguments: NamedTask.allCases)
    func namedTask(_ named: NamedTask) throws {
        let directory = try TemporaryDirectory()
        let root = directory.file("data")
        try TaskFixtureTree.write(named, to: root)
        try Self.check(try named.load(from: root), folder: directory.file("work"))
    }

    @Test(
        "a CSV task of each kind runs end to end",
        arguments: [CSVTarget.label, .labels, .key, .values(["arousal", "valence"]), .beatTimes])
    func csvTask(_ target: CSVTarget) throws {
        let directory = try TemporaryDirectory()
        let manifest = try TaskFixtureTree.writeCSV(target, to: directory.file("data"))
        let task = try CSVTask.load(manifest: manifest, name: "mine", target: target, audioRoot: nil)
        try Self.check(task, folder: directory.file("work"))
    }

    @Test(
        "a synthetic suite's task of each kind runs end to end from its manifest",
        arguments: SyntheticTaskKind.allCases)
    func syntheticTask(_ kind: SyntheticTaskKind) throws {
        let directory = try TemporaryDirectory()
        let configuration = SyntheticSuite.Configuration(
            seed: 2, tasks: [kind], trainItems: 4, validItems: 2, testItems: 2,
            clipSeconds: [kind: 2], corpusFiles: 0)
        let summary = try SyntheticSuite(configuration: configuration).write(
            to: directory.file("data"))
        let task = try CSVTask.load(manifest: summary.tasks[0].manifest, name: kind.rawValue)
        try Self.check(task, folder: directory.file("work"))
    }

    @Test("an item whose audio is damaged is left out and reported; the rest is probed")
    func damagedItem() throws {
        let directory = try TemporaryDirectory()
        let root = directory.file("data")
        try TaskFixtureTree.write(.gtzanGenre, to: root)
        let task = try NamedTask.gtzanGenre.load(from: root)
        let damaged = try #require(task.items(in: .train).first)
        try Data("not audio at all".utf8).write(to: damaged.url)
        let outcome = try Self.pipeline(model: try Self.model(), folder: directory.file("work")).run(task)
        #expect(outcome.extraction.failed.map(\.id) == [damaged.id])
        #expect(outcome.extraction.failed.first?.reason.contains(damaged.url.path) == true)
        #expect(!outcome.task.items.contains { $0.id == damaged.id })
        #expect(outcome.sweep.selected != nil)
    }
}
