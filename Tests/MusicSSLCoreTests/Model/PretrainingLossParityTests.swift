import Foundation
import MusicSSLTestSupport
import Testing

/// A mask given in advance, so that a loss can be compared with a reference that used it.
struct FixedMasking: MaskingStrategy {
    let flags: [Bool]

    func mask(
        batch: Int, frames: Int, frameLengths: [Int]?, using generator: inout some RandomNumberGenerator
    ) throws -> [Bool] {
        guard flags.count == batch * frames else {
            throw TensorError("FixedMasking", "\(flags.count) flags for \(batch)×\(frames)")
        }
        return flags
    }
}

/// Both objectives against a torch re-implementation of fairseq's training step
/// (Tests/FixtureGenerators/pretraining_losses.py), on tiny HuggingFace backbones in eval mode.
@Suite("Pre-training losses against torch")
struct PretrainingLossParityTests {
    static let fixture = Result { try Fixture.load("pretraining_losses", in: Bundle.module) }

    func loadParameters(_ model: MaskedPredictionModel, family: String, from fixture: [String: Tensor]) throws {
        for (name, parameter) in model.namedParameters() {
            parameter.value = try #require(fixture["\(family).param.\(name)"], "no reference for \(name)")
        }
        let expected = fixture.keys.filter { $0.hasPrefix("\(family).param.") }.count
        #expect(model.namedParameters().count == expected, "parameter sets differ")
    }

    func batch(_ fixture: [String: Tensor]) throws -> PretrainingBatch {
        PretrainingBatch(
            waveforms: try #require(fixture["waveforms"]), sampleRate: 16_000,
            sources: [.init(path: "a.wav", startSeconds: 0), .init(path: "b.wav", startSeconds: 0.13)])
    }

    func expectGradients(_ model: MaskedPredictionModel, family: String, _ fixture: [String: Tensor]) throws {
        var compared = 0
        for (name, parameter) in model.namedParameters() {
            guard let expected = fixture["\(family).grad.\(name)"] else { continue }
            let actual = try #require(parameter.gradient, "\(name) has no gradient")
            let scale = max(1e-3, expected.scalars.map(abs).max() ?? 0)
            expectClose(actual, expected, tolerance: 1e-3 * scale, "\(family) gradient of \(name)")
            compared += 1
        }
        #expect(compared >= model.namedParameters().count - 1, "only \(compared) gradients compared")
    }

    @Test("MusicHuBERT's loss, accuracy and every gradient match torch")
    func hubert() throws {
        let fixture = try Self.fixture.get()
        let labels = FrameLabelTable(
            labelRate: 100, clusterCount: 5,
            labelsByPath: [
                "a.wav": try #require(fixture["labels.a.wav"]).scalars.map { Int($0) },
                "b.wav": try #require(fixture["labels.b.wav"]).scalars.map { Int($0) },
            ])
        var generator = SplitMix64(seed: 0)
        let model = try MaskedPredictionModel.musicHuBERT(
            configuration: EncoderModelParityTests.configuration("hubert"), labels: labels, finalDimensions: 8,
            using: &generator)
        model.masking = FixedMasking(flags: try #require(fixture["mask"]).scalars.map { $0 != 0 })
        model.setTraining(false)
        try loadParameters(model, family: "hubert", from: fixture)

        let loss = try model.loss(for: batch(fixture), using: &generator)
        #expect(abs(Double(try loss.total.item()) - Double(try #require(fixture["hubert.loss"]).item())) < 1e-4)
        #expect(abs(try #require(loss.termLosses["hubert"]) - Double(try #require(fixture["hubert.cross_entropy"]).item())) < 1e-4)
        #expect(abs(loss.featurePenalty - Double(try #require(fixture["hubert.penalty"]).item())) < 1e-6)
        #expect(abs(try #require(loss.metrics["hubert/masked_accuracy"]) - Double(try #require(fixture["hubert.accuracy"]).item())) < 1e-6)
        try loss.total.backward()
        try expectGradients(model, family: "hubert", fixture)
    }

    @Test("Music2vec's teacher targets, loss and every student gradient match torch")
    func data2vec() throws {
        let fixture = try Self.fixture.get()
        var generator = SplitMix64(seed: 0)
        let model = try MaskedPredictionModel.music2vec(
            configuration: EncoderModelParityTests.configuration("data2vec"), topLayerCount: 2, using: &generator)
        model.masking = FixedMasking(flags: try #require(fixture["mask"]).scalars.map { $0 != 0 })
        model.setTraining(false)
        try loadParameters(model, family: "data2vec", from: fixture)
        try model.prepare(forStep: 0)  // the teacher becomes a copy of the student

        let loss = try model.loss(for: batch(fixture), using: &generator)
        #expect(abs(Double(try loss.total.item()) - Double(try #require(fixture["data2vec.loss"]).item())) < 1e-4)
        #expect((loss.metrics["data2vec/target_variance"] ?? 0) > 0.1)
        try loss.total.backward()
        try expectGradients(model, family: "data2vec", fixture)

        // The targets themselves.
        let teacher = try #require(model.objectives[0].targets as? TeacherTargets)
        let features = try noGrad {
            let extracted = try model.featureExtractor(try #require(fixture["waveforms"]))
            return try model.featureProjection.projection(model.featureProjection.layerNorm(extracted))
        }
        let context = TargetContext(
            batch: try batch(fixture), frameCount: features.shape[1], frameLengths: [24, 24], paddingMask: nil,
            mask: [Bool](repeating: false, count: 48), unmaskedFeatures: features)
        guard case .vectors(let targets) = try teacher.targets(for: context) else {
            Issue.record("teacher targets are not vectors")
            return
        }
        expectClose(targets, try #require(fixture["data2vec.targets"]), tolerance: 1e-4, "teacher targets")
    }
}
