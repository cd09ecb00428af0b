import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// Multiclass accuracy against torchmetrics' `Accuracy(task="multiclass")`.
@Suite("multiclass accuracy")
struct AccuracyTests {
    @Test("accuracy matches torchmetrics' micro accuracy, ties to the first class included")
    func matchesTorchmetrics() throws {
        for reference in try ProbeMetricFixture.load().accuracy {
            let accuracy = try MulticlassAccuracy(
                logits: try ScoreMatrix(rows: reference.logits), labels: reference.labels)
            #expect(accuracy.correctCount == reference.correct, "\(reference.name)")
            #expect(accuracy.itemCount == reference.labels.count)
            expectNear(accuracy.value, reference.accuracy, tolerance: 1e-12, reference.name)
            expectNear(accuracy.value, reference.torchmetrics, reference.name + " (float32)")
        }
    }

    @Test("a Float32 tensor of logits gives the same accuracy as its rows")
    func tensorInput() throws {
        let tensor = try Tensor(shape: [3, 2], scalars: [0.1, 0.9, 2, -1, 0.5, 0.5])
        let accuracy = try MulticlassAccuracy(logits: try ScoreMatrix(tensor), labels: [1, 0, 1])
        #expect(accuracy.correctCount == 2)
        #expect(try ScoreMatrix(tensor).rowArgmax() == [1, 0, 0])
    }
}
