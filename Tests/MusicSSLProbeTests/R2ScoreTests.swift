import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// R² against torchmetrics' `R2Score` and scikit-learn's `r2_score`.
@Suite("R² score")
struct R2ScoreTests {
    @Test(
        "per-output and uniform R² match torchmetrics (default policy) and scikit-learn (exact policy)"
    )
    func matchesReferences() throws {
        var largest = LargestDifference("R² vs torchmetrics (float64 states) and scikit-learn")
        for reference in try ProbeMetricFixture.load().r2 {
            let predictions = try ScoreMatrix(rows: reference.predictions)
            let targets = try ScoreMatrix(rows: reference.targets)
            let torchmetrics = try R2Score(predictions: predictions, targets: targets)
            #expect(torchmetrics.policy == .torchmetrics)
            let exact = try R2Score(predictions: predictions, targets: targets, policy: .exact)
            for output in 0..<targets.columnCount {
                largest.check(
                    torchmetrics.perOutput[output], reference.torchmetrics.raw[output],
                    tolerance: 1e-9, "\(reference.name): torchmetrics output \(output)")
                largest.check(
                    exact.perOutput[output], reference.sklearn.raw[output], tolerance: 1e-9,
                    "\(reference.name): scikit-learn output \(output)")
            }
            largest.check(
                torchmetrics.uniformAverage, reference.torchmetrics.uniform, tolerance: 1e-9,
                reference.name)
            largest.check(
                exact.uniformAverage, reference.sklearn.uniform, tolerance: 1e-9,
                reference.name)
        }
        largest.report()
    }

    @Test("R² is unchanged when targets and predictions are z-scored together")
    func affineInvariance() throws {
        let targets: [[Double]] = [[0.2, 5], [0.9, 3], [0.4, 4.5], [0.7, 2]]
        let predictions: [[Double]] = [[0.3, 4.8], [0.8, 3.3], [0.5, 4], [0.5, 2.5]]
        func scaled(_ rows: [[Double]]) -> [[Double]] {
            rows.map { [($0[0] - 0.5) * 3, $0[1] * -2 + 1] }
        }
        let plain = try R2Score(
            predictions: try ScoreMatrix(rows: predictions), targets: try ScoreMatrix(rows: targets)
        )
        let transformed = try R2Score(
            predictions: try ScoreMatrix(rows: scaled(predictions)),
            targets: try ScoreMatrix(rows: scaled(targets)))
        for output in 0..<2 {
            expectNear(
                transformed.perOutput[output], plain.perOutput[output], tolerance: 1e-12,
                "output \(output)")
        }
    }
}
