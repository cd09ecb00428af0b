import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// `Fixtures/probe_training.safetensors` from `Tests/FixtureGenerators/probe_training.py`:
/// MARBLE's weighted-sum MLP probe trained by torch's Adam and ReduceLROnPlateau.
@Suite("Probe training parity with PyTorch")
struct ProbeTrainingParityTests {
    static let parameterNames = [
        "aggregator", "hidden.weight", "hidden.bias", "output.weight", "output.bias",
    ]

    @Test(
        "Adam steps and plateau halving match PyTorch step by step",
        arguments: ["ce", "bce", "mse"])
    func matchesTorch(lossCase: String) throws {
        let fixture = try Fixture.load("probe_training", in: Bundle.module)
        func tensor(_ name: String) throws -> Tensor {
            try #require(fixture[name], "fixture lacks \(name)")
        }
        let inputs = try tensor("inputs")  // [N, L, D]
        let order = try tensor("order")  // [epochs, N]
        let monitors = try tensor("monitors").scalars.map(Double.init)
        let (sampleCount, layerCount, dimensions) = (
            inputs.shape[0], inputs.shape[1], inputs.shape[2]
        )
        let outputCount = try tensor("initial.output.bias").shape[0]
        let hiddenCount = try tensor("initial.hidden.bias").shape[0]

        var generator = SplitMix64(seed: 0)
        let head = try ProbeHead(
            layer: .weightedSum(includesLayer0: true), hiddenStateCount: layerCount,
            inputDimensions: dimensions, outputCount: outputCount,
            architecture: .mlp(hiddenDimensions: hiddenCount, dropout: 0), using: &generator)
        for name in Self.parameterNames {
            let parameter = try #require(head.parameter(named: name), "no parameter \(name)")
            parameter.value = try tensor("initial.\(name)")
        }
        let optimization = try ProbeOptimization(
            head: head, learningRate: 0.01, learningRatePatience: 1)

        let targets = try tensor("targets.\(lossCase)")
        var losses: [Float] = []
        var rates: [Float] = []
        for (epoch, monitor) in monitors.enumerated() {
            let epochOrder = order.scalars[(epoch * sampleCount)..<((epoch + 1) * sampleCount)]
                .map { Int($0) }
            for first in stride(from: 0, to: sampleCount, by: 4) {
                let rows = Array(epochOrder[first..<(first + 4)])
                let batch = try inputs.indexSelect(alongAxis: 0, indices: rows)
                let batchTargets: ProbeTargets =
                    switch lossCase {
                    case "ce": .classes(rows.map { Int(targets.scalars[$0]) })
                    case "bce": .multiHot(try targets.indexSelect(alongAxis: 0, indices: rows))
                    default: .values(try targets.indexSelect(alongAxis: 0, indices: rows))
                    }
                rates.append(Float(optimization.learningRate))
                losses.append(
                    try optimization.step(
                        inputs: batch, targets: batchTargets, using: &generator))
            }
            optimization.endEpoch(validationMonitor: monitor)
        }

        #expect(rates == (try tensor("\(lossCase).learning_rates")).scalars)
        let expectedLosses = try tensor("\(lossCase).losses").scalars
        let lossDifference =
            zip(losses, expectedLosses).map { abs($0 - $1) / max(abs($1), 1) }
            .max() ?? .infinity
        print(
            "[\(lossCase)] max relative loss difference over \(losses.count) steps: \(lossDifference)"
        )
        #expect(losses.count == expectedLosses.count)
        #expect(lossDifference < 1e-5)
        for name in Self.parameterNames {
            let parameter = try #require(head.parameter(named: name))
            let expected = try tensor("\(lossCase).final.\(name)")
            let scale = max(expected.scalars.map(abs).max() ?? 1, 1)
            let difference = parameter.value.maximumDifference(to: expected)
            print("[\(lossCase)] \(name): max difference \(difference)")
            expectClose(
                parameter.value, expected, tolerance: 1e-5 * scale, "\(lossCase) final \(name)")
        }
    }
}
