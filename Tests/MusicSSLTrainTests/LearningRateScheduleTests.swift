import Foundation
import MusicSSLTrain
import Testing

@Suite("Learning-rate schedules")
struct LearningRateScheduleTests {
    private func expectClose(
        _ actual: Float, _ expected: Double, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = Swift.abs(Double(actual) - expected) / Swift.max(Swift.abs(expected), 1e-12)
        #expect(error < 1e-6, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
    }

    @Test("polynomial decay matches fairseq at key steps (HuBERT base)")
    func polynomialDecay() throws {
        let schedule = try LinearWarmupPolynomialDecay(
            peakLearningRate: 5e-4, warmupSteps: 32_000, totalSteps: 400_000)
        #expect(schedule.learningRate(atStep: 0) == 0)
        expectClose(schedule.learningRate(atStep: 1), 5e-4 / 32_000)
        expectClose(schedule.learningRate(atStep: 16_000), 2.5e-4)
        expectClose(schedule.learningRate(atStep: 32_000), 5e-4)
        // (400 000 − 216 000) / 368 000 = 0.5 of the range remains.
        expectClose(schedule.learningRate(atStep: 216_000), 2.5e-4)
        expectClose(schedule.learningRate(atStep: 399_999), 5e-4 / 368_000)
        #expect(schedule.learningRate(atStep: 400_000) == 0)
        #expect(schedule.learningRate(atStep: 500_000) == 0)
    }

    @Test("polynomial decay honours power and end rate")
    func polynomialPower() throws {
        let schedule = try LinearWarmupPolynomialDecay(
            peakLearningRate: 1, warmupSteps: 0, totalSteps: 100, endLearningRate: 0.1, power: 2)
        #expect(schedule.learningRate(atStep: 0) == 1)
        // (1 − 0.1) · 0.5² + 0.1
        expectClose(schedule.learningRate(atStep: 50), 0.325)
        expectClose(schedule.learningRate(atStep: 100), 0.1)
        #expect(throws: OptimizationError.self) {
            try LinearWarmupPolynomialDecay(peakLearningRate: 1, warmupSteps: 10, totalSteps: 5)
        }
    }

    @Test("tri-stage matches fairseq at key steps (data2vec base)")
    func triStage() throws {
        let schedule = try TriStageSchedule(peakLearningRate: 5e-4, totalSteps: 400_000)
        #expect(schedule.warmupSteps == 12_000)
        #expect(schedule.holdSteps == 360_000)
        #expect(schedule.decaySteps == 28_000)
        expectClose(schedule.learningRate(atStep: 0), 5e-6)
        expectClose(schedule.learningRate(atStep: 6_000), 5e-6 + (5e-4 - 5e-6) / 2)
        expectClose(schedule.learningRate(atStep: 12_000), 5e-4)
        expectClose(schedule.learningRate(atStep: 371_999), 5e-4)
        expectClose(schedule.learningRate(atStep: 372_000), 5e-4)
        // Halfway through the decay: 5e-4 · exp(ln(0.01) / 2) = 5e-5.
        expectClose(schedule.learningRate(atStep: 386_000), 5e-5)
        expectClose(schedule.learningRate(atStep: 400_000), 5e-6)
        expectClose(schedule.learningRate(atStep: 450_000), 5e-6)
    }

    @Test("tri-stage with explicit phases and a final scale of 0.05")
    func triStageExplicit() throws {
        let schedule = try TriStageSchedule(
            peakLearningRate: 1, warmupSteps: 10, holdSteps: 0, decaySteps: 10, finalScale: 0.05)
        expectClose(schedule.learningRate(atStep: 5), 0.01 + 0.99 / 2)
        expectClose(schedule.learningRate(atStep: 10), 1)
        expectClose(schedule.learningRate(atStep: 15), Foundation.exp(Foundation.log(0.05) / 2))
        expectClose(schedule.learningRate(atStep: 25), 0.05)
        #expect(throws: OptimizationError.self) {
            try TriStageSchedule(peakLearningRate: 1, totalSteps: 100, phaseRatios: (0.5, 0.5, 0.5))
        }
    }

    @Test("cosine warms up linearly and ends at the minimum")
    func cosine() throws {
        let schedule = try CosineSchedule(
            peakLearningRate: 1e-3, warmupSteps: 100, totalSteps: 1_100, minimumLearningRate: 1e-5)
        #expect(schedule.learningRate(atStep: 0) == 0)
        expectClose(schedule.learningRate(atStep: 50), 5e-4)
        expectClose(schedule.learningRate(atStep: 100), 1e-3)
        expectClose(schedule.learningRate(atStep: 600), 1e-5 + (1e-3 - 1e-5) / 2)
        expectClose(
            schedule.learningRate(atStep: 850),
            1e-5 + (1e-3 - 1e-5) * 0.5 * (1 + cos(Double.pi * 0.75)))
        expectClose(schedule.learningRate(atStep: 1_100), 1e-5)
        expectClose(schedule.learningRate(atStep: 5_000), 1e-5)
    }

    @Test("constant schedule")
    func constant() {
        let schedule = ConstantSchedule(learningRate: 3e-4)
        #expect(schedule.learningRate(atStep: 0) == 3e-4)
        #expect(schedule.learningRate(atStep: 1_000_000) == 3e-4)
    }
}
