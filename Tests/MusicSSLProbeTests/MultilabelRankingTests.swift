import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// Macro ROC-AUC and AP against torchmetrics (per label and macro, degenerate labels included)
/// and scikit-learn (per label, and the skip-degenerate macro).
@Suite("multilabel ROC-AUC and average precision")
struct MultilabelRankingTests {
    static func inputs(
        _ reference: ProbeMetricFixture.RankingCase
    ) throws
        -> (ScoreMatrix, MultiHotLabels)
    {
        (
            try ScoreMatrix(rows: reference.scores),
            try MultiHotLabels(rows: reference.targets.map { $0.map { $0 == 1 } })
        )
    }

    @Test(
        "the torchmetrics policy reproduces torchmetrics per label and macro, degenerate labels as 0 / 1"
    )
    func torchmetricsPolicy() throws {
        var largest = LargestDifference("ROC-AUC and AP vs torchmetrics (float32 results)")
        for reference in try ProbeMetricFixture.load().ranking {
            let (scores, targets) = try Self.inputs(reference)
            let result = try MultilabelRankingScores(
                scores: scores, targets: targets, policy: .torchmetrics)
            #expect(result.skippedLabels.isEmpty)
            for (label, score) in result.perLabel.enumerated() {
                largest.check(
                    score.rocAUC, reference.torchmetrics.auroc[label], tolerance: 1e-6,
                    "\(reference.name): ROC-AUC of label \(label)")
                largest.check(
                    score.averagePrecision, reference.torchmetrics.ap[label], tolerance: 1e-6,
                    "\(reference.name): AP of label \(label)")
            }
            largest.check(
                result.macroROCAUC, reference.torchmetrics.macro_auroc, tolerance: 1e-6,
                reference.name)
            largest.check(
                result.macroAveragePrecision, reference.torchmetrics.macro_ap, tolerance: 1e-6,
                reference.name)
        }
        largest.report()
    }

    @Test("per label, ROC-AUC and AP equal scikit-learn's in Double wherever both classes occur")
    func perLabelScikitLearn() throws {
        var largest = LargestDifference("per-label ROC-AUC and AP vs scikit-learn")
        for reference in try ProbeMetricFixture.load().ranking {
            let (scores, targets) = try Self.inputs(reference)
            let result = try MultilabelRankingScores(
                scores: scores, targets: targets, policy: .torchmetrics)
            for (label, score) in result.perLabel.enumerated() {
                guard let auroc = reference.sklearn.auroc[label],
                    let ap = reference.sklearn.ap[label]
                else {
                    #expect(score.isDegenerate, "\(reference.name): label \(label)")
                    continue
                }
                #expect(!score.isDegenerate)
                largest.check(score.rocAUC, auroc, tolerance: 1e-12, "\(reference.name) \(label)")
                largest.check(
                    score.averagePrecision, ap, tolerance: 1e-12, "\(reference.name) \(label)")
            }
        }
        #expect(largest.count > 80)
        largest.report()
    }

    @Test(
        "skipDegenerate (the default) leaves degenerate labels out, reports them, and equals scikit-learn's macro on the rest"
    )
    func skipDegenerate() throws {
        for reference in try ProbeMetricFixture.load().ranking {
            let (scores, targets) = try Self.inputs(reference)
            guard let expected = reference.skip_degenerate else {
                #expect(throws: MetricError.self, "\(reference.name)") {
                    try MultilabelRankingScores(scores: scores, targets: targets)
                }
                continue
            }
            let result = try MultilabelRankingScores(scores: scores, targets: targets)
            #expect(result.policy == .skipDegenerate)
            #expect(result.skippedLabels == expected.skipped, "\(reference.name)")
            expectNear(result.macroROCAUC, expected.macro_auroc, tolerance: 1e-12, reference.name)
            expectNear(
                result.macroAveragePrecision, expected.macro_ap, tolerance: 1e-12, reference.name)
        }
    }

    @Test("a hand-computed curve: ties grouped, ROC-AUC 7/8, AP 5/6")
    func handComputed() throws {
        let curve = try BinaryRankingCurve(
            scores: [0.1, 0.8, 0.9, 0.8], targets: [false, true, true, false])
        #expect(curve.thresholds == [0.9, 0.8, 0.1])
        #expect(curve.truePositives == [1, 2, 2])
        #expect(curve.falsePositives == [0, 1, 2])
        // Positive pairs won: 0.9 beats both negatives (2), 0.8 ties one (0.5) and beats one (1).
        expectNear(curve.rocAUC, 3.5 / 4, tolerance: 1e-15, "ROC-AUC")
        // Thresholds 0.9 (R 1/2, P 1) and 0.8 (R 1, P 2/3).
        expectNear(curve.averagePrecision, 0.5 + 0.5 * 2 / 3, tolerance: 1e-15, "AP")
    }

    @Test("scores are rank-only: reordering items or passing sigmoid(logits) changes nothing")
    func invariants() throws {
        var generator = SplitMix64(seed: 7)
        let items = 60
        let labels = 4
        let logits = (0..<items * labels).map { _ in Double.random(in: -4...4, using: &generator) }
        let flags = logits.map { $0 + Double.random(in: -3...3, using: &generator) > 0.5 }
        let scores = try ScoreMatrix(rowCount: items, columnCount: labels, values: logits)
        let targets = try MultiHotLabels(rowCount: items, columnCount: labels, values: flags)
        let base = try MultilabelRankingScores(scores: scores, targets: targets)

        let sigmoid = try ScoreMatrix(
            rowCount: items, columnCount: labels, values: logits.map { 1 / (1 + exp(-$0)) })
        let viaSigmoid = try MultilabelRankingScores(scores: sigmoid, targets: targets)
        expectNear(viaSigmoid.macroROCAUC, base.macroROCAUC, tolerance: 1e-12, "sigmoid ROC")
        expectNear(
            viaSigmoid.macroAveragePrecision, base.macroAveragePrecision, tolerance: 1e-12,
            "sigmoid AP")

        let order = (0..<items).shuffled(using: &generator)
        let permutedScores = try ScoreMatrix(
            rowCount: items, columnCount: labels,
            values: order.flatMap { scores.row($0) })
        let permutedTargets = try MultiHotLabels(
            rowCount: items, columnCount: labels,
            values: order.flatMap { item in (0..<labels).map { flags[item * labels + $0] } })
        let permuted = try MultilabelRankingScores(scores: permutedScores, targets: permutedTargets)
        #expect(permuted.perLabel == base.perLabel)
    }

    @Test("a label whose scores all tie has ROC-AUC 0.5 and AP equal to its prevalence")
    func allEqualScores() throws {
        let curve = try BinaryRankingCurve(
            scores: [0.3, 0.3, 0.3, 0.3, 0.3], targets: [true, false, false, true, false])
        #expect(curve.thresholds.count == 1)
        expectNear(curve.rocAUC, 0.5, tolerance: 1e-15, "ROC-AUC")
        expectNear(curve.averagePrecision, 0.4, tolerance: 1e-15, "AP")
    }
}
