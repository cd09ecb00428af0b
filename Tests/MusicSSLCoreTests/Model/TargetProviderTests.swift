import MusicSSLTestSupport
import Testing

@Suite("Target providers, heads and the masked model's parts")
struct TargetProviderTests {
    func context(frames: Int, lengths: [Int], sources: [PretrainingBatch.ClipSource]) -> TargetContext {
        TargetContext(
            batch: PretrainingBatch(
                waveforms: Tensor.zeros([lengths.count, 1000]), sampleRate: 16_000, sources: sources),
            frameCount: frames, frameLengths: lengths, paddingMask: nil,
            mask: [Bool](repeating: false, count: lengths.count * frames),
            unmaskedFeatures: Tensor.zeros([lengths.count, frames, 4]))
    }

    @Test("cluster labels are cut where the clip starts and read every second 100 Hz label")
    func clusterAlignment() throws {
        let labels = FrameLabelTable(
            labelRate: 100, clusterCount: 50, labelsByPath: ["x": Array(0..<50), "y": Array(0..<21)])
        let targets = ClusterTargets(labels: labels)
        // Clip 0 starts at 0.104 s → label 10; clip 1 at 0 in a 21-label file; clip 1 has 6 real frames.
        let result = try targets.targets(
            for: context(frames: 8, lengths: [8, 6], sources: [.init(path: "x", startSeconds: 0.104), .init(path: "y", startSeconds: 0)]))
        guard case .classes(let ids, let count) = result else {
            Issue.record("expected classes")
            return
        }
        #expect(count == 50)
        let ignored = FrameTargets.ignoredClass
        #expect(Array(ids[0..<8]) == [10, 12, 14, 16, 18, 20, 22, 24])
        #expect(Array(ids[8..<16]) == [0, 2, 4, 6, 8, 10, ignored, ignored])
        // 50 Hz labels (iteration 2) map one to one.
        let layerLabels = ClusterTargets(labels: FrameLabelTable(labelRate: 50, clusterCount: 9, labelsByPath: ["x": Array(0..<9)]))
        guard case .classes(let direct, _) = try layerLabels.targets(
            for: context(frames: 12, lengths: [12], sources: [.init(path: "x", startSeconds: 0.04)]))
        else { return }
        #expect(direct == [2, 3, 4, 5, 6, 7, 8] + [Int](repeating: ignored, count: 5), "past the file's end: no target")
    }

    @Test("missing sources, unknown files and out-of-range labels are clear errors")
    func clusterErrors() {
        let targets = ClusterTargets(labels: FrameLabelTable(labelRate: 100, clusterCount: 3, labelsByPath: ["x": [0, 1, 7]]))
        #expect(throws: TensorError.self) { try targets.targets(for: context(frames: 2, lengths: [2], sources: [])) }
        #expect(throws: TensorError.self) {
            try targets.targets(for: context(frames: 2, lengths: [2], sources: [.init(path: "nope", startSeconds: 0)]))
        }
        #expect(throws: TensorError.self) {
            try targets.targets(for: context(frames: 2, lengths: [2], sources: [.init(path: "x", startSeconds: 0.02)]))
        }
    }

    @Test("the EMA decay anneals linearly from 0.999 to 0.9999 over 30 000 updates")
    func decaySchedule() {
        let schedule = EMADecaySchedule.data2vec
        #expect(schedule.decay(atStep: 0) == 0.999)
        #expect(abs(schedule.decay(atStep: 15_000) - 0.99945) < 1e-12)
        #expect(schedule.decay(atStep: 30_000) == 0.9999)
        #expect(schedule.decay(atStep: 90_000) == 0.9999)
    }

    @Test("the teacher copies at update 0, then averages layers and copies the positional convolution")
    func emaUpdate() throws {
        var generator = SplitMix64(seed: 4)
        let configuration = EncoderModelParityTests.configuration("data2vec")
        let student = try TransformerEncoder(configuration: configuration, using: &generator)
        let teacher = try TeacherTargets(configuration: configuration, topLayerCount: 2)
        try teacher.update(from: student, decay: 0)
        let studentValues = Dictionary(uniqueKeysWithValues: student.namedParameters().map { ($0.name, $0.parameter.value) })
        for (name, parameter) in teacher.teacher.namedParameters() {
            #expect(parameter.value.scalars == studentValues[name]?.scalars, "\(name) not copied")
        }
        // Move the student, then one step with d = 0.9.
        let before = Dictionary(uniqueKeysWithValues: teacher.teacher.namedParameters().map { ($0.name, $0.parameter.value) })
        for (_, parameter) in student.namedParameters() { parameter.value = parameter.value + 1 }
        try teacher.update(from: student, decay: 0.9)
        for (name, parameter) in teacher.teacher.namedParameters() {
            let old = try #require(before[name]), new = try #require(student.parameter(named: name)).value
            let expected = name.hasPrefix("pos_conv_embed.") ? new : try old * 0.9 + new * 0.1
            expectClose(parameter.value, expected, tolerance: 1e-6, name)
        }
        #expect(teacher.stateParameters.allSatisfy { $0.name.hasPrefix("teacher.") && !$0.parameter.isTrainable })
    }

    @Test("heads refuse targets of the wrong kind or size")
    func headErrors() throws {
        var generator = SplitMix64(seed: 1)
        let codebook = try CodebookClassifierHead(modelDimensions: 4, clusterCount: 3, finalDimensions: 2, using: &generator)
        let regression = try RegressionHead(modelDimensions: 4, targetDimensions: 4, using: &generator)
        let hidden = Tensor.randomNormal([1, 2, 4], using: &generator)
        let selection = FrameSelection(masked: [true, false])
        #expect(throws: TensorError.self) { try codebook.loss(hiddenStates: hidden, targets: .vectors(hidden), selection: selection) }
        #expect(throws: TensorError.self) {
            try codebook.loss(hiddenStates: hidden, targets: .classes([0, 1], classCount: 7), selection: selection)
        }
        #expect(throws: TensorError.self) {
            try regression.loss(hiddenStates: hidden, targets: .classes([0, 1], classCount: 3), selection: selection)
        }
        #expect(throws: TensorError.self) {
            try regression.loss(hiddenStates: hidden, targets: .vectors(Tensor.zeros([1, 3, 4])), selection: selection)
        }
    }

    @Test("the regression head's loss is Σ(x − y)²/√D per masked frame; monitors as data2vec's")
    func regressionByHand() throws {
        var generator = SplitMix64(seed: 2)
        let head = try RegressionHead(modelDimensions: 2, targetDimensions: 2, using: &generator)
        head.projection.weight.value = try Tensor(shape: [2, 2], scalars: [1, 0, 0, 1])
        head.projection.bias?.value = Tensor.zeros([2])
        let hidden = try Tensor(shape: [1, 3, 2], scalars: [1, 2, 3, 4, 5, 6])
        let target = try Tensor(shape: [1, 3, 2], scalars: [0, 2, 3, 3, 9, 9])
        let loss = try head.loss(hiddenStates: hidden, targets: .vectors(target), selection: FrameSelection(masked: [true, true, false]))
        // Frame 0: 1² + 0² = 1; frame 1: 0 + 1 = 1 → (1 + 1)/√2/2.
        #expect(abs(try loss.value.item() - 1 / Float(2).squareRoot()) < 1e-6)
        #expect(loss.maskedFrameCount == 2)
        // Targets over the masked frames: columns (0, 3) and (2, 3): unbiased sd 2.1213 and 0.7071.
        #expect(abs(try #require(loss.metrics["target_variance"]) - (2.1213203 + 0.7071068) / 2) < 1e-4)
    }

    @Test("a model's names follow HuggingFace's, terms must be distinct, and the backbone exports")
    func modelComposition() throws {
        var generator = SplitMix64(seed: 3)
        let configuration = EncoderModelParityTests.configuration("hubert")
        let labels = FrameLabelTable(labelRate: 100, clusterCount: 4, labelsByPath: [:])
        let model = try MaskedPredictionModel.musicHuBERT(
            configuration: configuration, labels: labels, finalDimensions: 8, using: &generator)
        let backbone = try model.encoderModel()
        let names = Set(model.namedParameters().map(\.name))
        #expect(backbone.namedParameters().allSatisfy { names.contains($0.name) })
        #expect(names.subtracting(backbone.namedParameters().map(\.name)) == [
            "heads.hubert.final_proj.weight", "heads.hubert.final_proj.bias", "heads.hubert.label_embs_concat",
        ])
        for (name, parameter) in backbone.namedParameters() {
            #expect(parameter.value.scalars == model.parameter(named: name)?.value.scalars)
        }
        let head = try CodebookClassifierHead(modelDimensions: 32, clusterCount: 4, using: &generator)
        let term = ObjectiveTerm(name: "same", targets: ClusterTargets(labels: labels), head: head)
        #expect(throws: TensorError.self) {
            try MaskedPredictionModel(
                configuration: configuration, featureExtractor: backbone.featureExtractor, encoder: backbone.encoder,
                masking: SpanMasking.hubert, objectives: [term, term], using: &generator)
        }
    }
}
