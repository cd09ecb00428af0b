import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

@Suite("Task evaluator")
struct TaskEvaluatorTests {
    @Test("validation averages window logits per item, not probabilities")
    func averagesLogits() throws {
        // One item, three windows whose logits for (class 0, class 1) are (8, 0), (−2, 0),
        // (−2, 0): mean logits (4/3, 0) pick class 0; mean softmax (0.41, 0.59) would pick 1.
        let items = SyntheticProbeTask.items(
            counts: [(.train, 1), (.valid, 1), (.test, 1)], label: { _ in .classIndex(0) })
        let window = try Tensor(shape: [1, 3, 1], scalars: [8, -2, -2])
        let task = ProbeTask(
            name: "averaging", kind: .singleLabel(classes: ["a", "b"]), metric: .accuracy,
            items: items)
        let features = try ProbeFeatureSet(task: task) { _ in window }
        var generator = SplitMix64(seed: 1)
        let head = try ProbeHead(
            layer: .single(0), hiddenStateCount: 1, inputDimensions: 1, outputCount: 2,
            architecture: .linear, using: &generator)
        head.output.weight.value = try Tensor(shape: [2, 1], scalars: [1, 0])
        head.output.bias?.value = Tensor.zeros([2])

        let logits = try head.itemLogits(for: features.valid)
        #expect(logits.rowCount == 1)
        #expect(abs(logits[0, 0] - 4.0 / 3.0) < 1e-6 && logits[0, 1] == 0)
        let meanProbability = [8.0, -2, -2].map { 1 / (1 + exp(-$0)) }.reduce(0, +) / 3
        #expect(meanProbability < 0.5, "the case must separate the two averages")
        var evaluator = try TaskEvaluator(task: task)
        let scores = try evaluator.validationScores(items: features.valid.items, logits: logits)
        #expect(scores.values["accuracy"] == 1)
    }

    @Test("GiantSteps test scores use the fusion strategy chosen on validation")
    func keyTestUsesValidationStrategy() throws {
        let classes = MusicalKey.marbleClasses.map(\.description)
        let task = ProbeTask(
            name: "gs", kind: .singleLabel(classes: classes), metric: .keyScore, items: [])
        // Search seeded random clip logits for a case where the strategy that wins on
        // validation is not the one that wins on test, and scores differently there.
        var generator = SplitMix64(seed: 5)
        for _ in 0..<200 {
            let (validItems, validLogits) = try Self.randomSongs(using: &generator)
            let (testItems, testLogits) = try Self.randomSongs(using: &generator)
            var evaluator = try TaskEvaluator(task: task)
            let valid = try evaluator.validationScores(items: validItems, logits: validLogits)
            let chosen = try #require(evaluator.keyFusionSelection.strategy)
            let test = try evaluator.testScores(items: testItems, logits: testLogits)
            let testBest =
                KeyFusionStrategy.allCases.map {
                    test.values["weighted_score_\($0.rawValue)"] ?? -1
                }.max() ?? -1
            #expect(valid.monitor == valid.values["weighted_score_\(chosen.rawValue)"])
            #expect(test.monitor == test.values["weighted_score"])
            #expect(
                test.values["weighted_score"] == test.values["weighted_score_\(chosen.rawValue)"])
            #expect(test.values["clip_accuracy"] != nil)
            if test.monitor < testBest { return }
        }
        Issue.record("no case where validation's strategy loses on test")
    }

    /// Six songs of three clips, random 24-class logits, labels drawn per song.
    static func randomSongs(using generator: inout SplitMix64) throws -> ([TaskItem], ScoreMatrix) {
        var items: [TaskItem] = []
        for song in 0..<6 {
            let label = Int(generator.next() % 24)
            for clip in 0..<3 {
                items.append(
                    TaskItem(
                        id: "\(song)-\(clip)", url: URL(fileURLWithPath: "/gs/\(song).mp3"),
                        split: .valid, label: .classIndex(label), group: "song\(song)"))
            }
        }
        let logits = Tensor.randomNormal(
            [items.count, 24], standardDeviation: 2, using: &generator)
        return (items, try ScoreMatrix(logits))
    }

    @Test("multi-label scores carry ROC-AUC as monitor, AP and the skipped-label count")
    func multilabelScores() throws {
        let items = SyntheticProbeTask.items(
            counts: [(.valid, 4)], label: { TaskLabel.tags([[0], [0, 1], [], [0]][$0]) })
        let task = ProbeTask(
            name: "tags", kind: .multiLabel(tags: ["a", "b", "c"]), metric: .multilabelRanking,
            items: items)
        var evaluator = try TaskEvaluator(task: task)
        let logits = try ScoreMatrix(rows: [[2, 0, 0], [1, 3, 0], [-1, 0, 0], [0.5, -1, 0]])
        let scores = try evaluator.validationScores(items: items, logits: logits)
        // Label 2 has no positives and is skipped; label 0 has one negative ranked last.
        #expect(scores.values["skipped_labels"] == 1)
        #expect(scores.monitor == scores.values["roc_auc"])
        #expect(scores.values["roc_auc"] == 1)
    }
}
