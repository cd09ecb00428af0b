import Foundation

/// The result of one ``MaskedPredictionModel`` training forward pass.
public struct MaskedPredictionLoss {
    /// Σ weight · term loss (+ the feature penalty), a scalar in the autodiff graph.
    public var total: Tensor
    /// Each term's loss value, by name, outside the graph.
    public var termLosses: [String: Double]
    /// The feature penalty mean(CNN output²) before its weight.
    public var featurePenalty: Double
    /// Masked, unpadded frames in the batch.
    public var maskedFrameCount: Int
    /// Every term's monitors, as `<term>/<metric>` (e.g. `hubert/masked_accuracy`).
    public var metrics: [String: Double]
}

/// One masked-prediction model, of which MusicHuBERT and Music2vec are two configurations
/// (DESIGN.md): a ``FeatureExtractor`` makes frames, a LayerNorm + Linear projection widens
/// them, a ``MaskingStrategy`` picks frames that are replaced by a learned vector, an
/// ``Encoder`` contextualises them, and each ``ObjectiveTerm`` scores the last hidden state
/// against its ``TargetProvider``'s targets.
///
/// Parameter names follow HuggingFace's `HubertModel` for the backbone (`feature_extractor`,
/// `feature_projection`, `encoder`, `masked_spec_embed`), so ``encoderModel()`` can hand the
/// trained backbone to `msl extract`, `msl convert --to hf` and probing; heads are
/// `heads.<term>.…`.
///
/// ```swift
/// var generator = SplitMix64(seed: 0)
/// let model = try MaskedPredictionModel.musicHuBERT(
///     configuration: .tiny, labels: labels, using: &generator)
/// let loss = try model.loss(for: batch, using: &generator)
/// try loss.total.backward()
/// ```
public final class MaskedPredictionModel: Layer {
    /// The backbone's architecture (kept for export and checkpoints).
    public let configuration: EncoderConfiguration
    /// Waveform to frames.
    public let featureExtractor: any FeatureExtractor
    /// LayerNorm → Linear → input dropout.
    public let featureProjection: FeatureProjection
    /// The vector masked frames become (fairseq `mask_emb`).
    public let maskEmbedding: Parameter
    /// The contextual network.
    public let encoder: any Encoder
    /// Which frames are hidden.
    public var masking: any MaskingStrategy
    /// The loss terms.
    public let objectives: [ObjectiveTerm]
    /// Gradient multiplier at the feature extractor's output (fairseq `feature_grad_mult`:
    /// 0.1 for HuBERT and data2vec base); 1 leaves gradients as they are.
    public var featureGradientScale: Float
    /// Weight of mean(CNN output²) in the loss (10 for HuBERT, 0 for data2vec).
    public var featurePenaltyWeight: Float
    /// Weight of unmasked frames in class losses (fairseq `pred_nomask_weight`, 0).
    public var unmaskedWeight: Float
    public var isTraining = true

    /// Composes a model from its parts; the extractor's channels and the encoder's width fix
    /// the projection.
    public init(
        configuration: EncoderConfiguration, featureExtractor: any FeatureExtractor, encoder: any Encoder,
        masking: any MaskingStrategy, objectives: [ObjectiveTerm], featureGradientScale: Float = 0.1,
        featurePenaltyWeight: Float = 0, unmaskedWeight: Float = 0,
        using generator: inout some RandomNumberGenerator
    ) throws {
        let names = objectives.map(\.name)
        guard !objectives.isEmpty, Set(names).count == names.count,
              names.allSatisfy({ !$0.isEmpty && !$0.contains(".") })
        else {
            throw TensorError(
                "MaskedPredictionModel", "needs at least one objective term with distinct names without dots, got \(names)")
        }
        self.configuration = configuration
        self.featureExtractor = featureExtractor
        featureProjection = FeatureProjection(
            inputDimensions: featureExtractor.outputChannels, outputDimensions: encoder.modelDimensions,
            dropoutProbability: configuration.inputDropoutProbability, epsilon: configuration.layerNormEpsilon,
            using: &generator)
        maskEmbedding = Parameter(Tensor.randomUniform([encoder.modelDimensions], using: &generator))
        self.encoder = encoder
        self.masking = masking
        self.objectives = objectives
        self.featureGradientScale = featureGradientScale
        self.featurePenaltyWeight = featurePenaltyWeight
        self.unmaskedWeight = unmaskedWeight
    }

    public var namedLocalParameters: [(name: String, parameter: Parameter)] { [("masked_spec_embed", maskEmbedding)] }

    public var namedSublayers: [(name: String, layer: any Layer)] {
        [("feature_extractor", featureExtractor), ("feature_projection", featureProjection), ("encoder", encoder)]
            + objectives.map { ("heads.\($0.name)", $0.head) }
    }

    /// Every tensor a checkpoint needs: the parameters, then each term's target state as
    /// `targets.<term>.…` (a teacher's weights).
    public var checkpointTensors: [(name: String, parameter: Parameter)] {
        namedParameters() + objectives.flatMap { term in
            term.targets.stateParameters.map { ("targets.\(term.name).\($0.name)", $0.parameter) }
        }
    }

    /// Lets every target provider prepare for update `step` (the EMA teacher's step).
    public func prepare(forStep step: Int) throws {
        for term in objectives { try term.targets.prepare(forStep: step, model: self) }
    }

    /// Masks the batch, runs the network and sums the objective terms.
    ///
    /// A batch with a ``PretrainingBatch/shard`` is masked and dropped out as its rows of the
    /// global batch (``BatchShard``), so the data-parallel ranks of a step together compute
    /// what one process computes for the whole batch.
    public func loss(
        for batch: PretrainingBatch, using generator: inout some RandomNumberGenerator
    ) throws -> MaskedPredictionLoss {
        var local = generator
        defer { generator = local }
        return try BatchShard.$current.withValue(batch.shard) {
            try shardLoss(for: batch, using: &local)
        }
    }

    private func shardLoss(
        for batch: PretrainingBatch, using generator: inout some RandomNumberGenerator
    ) throws -> MaskedPredictionLoss {
        let op = "MaskedPredictionModel"
        let waveforms = batch.waveforms
        guard waveforms.rank == 2, waveforms.shape[0] > 0 else {
            throw TensorError(op, "expected waveforms [batch, samples], got \(waveforms.shape)")
        }
        let batchSize = waveforms.shape[0]
        if let shard = batch.shard, shard.rows.count != batchSize {
            throw TensorError(op, "batch shard \(shard.rows) holds \(shard.rows.count) rows, the batch \(batchSize)")
        }
        var extracted = try featureExtractor(waveforms)  // [B, T, C]
        if featureGradientScale != 1 { extracted = extracted.scalingGradient(by: featureGradientScale) }
        let frames = extracted.shape[1]
        let penalty = try extracted.squared().mean()

        var frameLengths = [Int](repeating: frames, count: batchSize)
        var padding: [Bool]?
        if let sampleLengths = batch.sampleLengths {
            guard sampleLengths.count == batchSize else {
                throw TensorError(op, "\(sampleLengths.count) sample lengths for \(batchSize) clips")
            }
            frameLengths = sampleLengths.map { Swift.min(featureExtractor.frameCount(forSampleCount: $0), frames) }
            let flags = frameLengths.flatMap { length in (0..<frames).map { $0 >= length } }
            padding = flags.contains(true) ? flags : nil
        }

        let normalized = try featureProjection.layerNorm(extracted)
        let projected = try featureProjection.projection(normalized)  // [B, T, D], before dropout
        let dropped = try featureProjection.dropout(projected, using: &generator)
        let mask = try masking.mask(
            batch: batchSize, frames: frames, frameLengths: batch.sampleLengths == nil ? nil : frameLengths,
            shard: batch.shard, using: &generator)
        guard mask.count == batchSize * frames else {
            throw TensorError(op, "the masking returned \(mask.count) flags for \(batchSize)×\(frames) frames")
        }
        let masked = try dropped.replacingRows(where: mask, with: maskEmbedding.tensor)
        let encoded = try encoder(masked, paddingMask: padding, using: &generator)

        let context = TargetContext(
            batch: batch, frameCount: frames, frameLengths: frameLengths, paddingMask: padding, mask: mask,
            unmaskedFeatures: projected.detached())
        let selection = FrameSelection(masked: mask, padding: padding, unmaskedWeight: unmaskedWeight)
        var total = penalty * featurePenaltyWeight
        var termLosses: [String: Double] = [:]
        var metrics: [String: Double] = [:]
        var maskedCount = selection.maskedReal.filter { $0 }.count
        for term in objectives {
            let targets = try term.targets.targets(for: context)
            let termLoss = try term.head.loss(
                hiddenStates: encoded.lastHiddenState, targets: targets, selection: selection)
            total = try total + termLoss.value * term.weight
            termLosses[term.name] = Double(try termLoss.value.detached().item())
            for (key, value) in termLoss.metrics { metrics["\(term.name)/\(key)"] = value }
            maskedCount = termLoss.maskedFrameCount
        }
        return MaskedPredictionLoss(
            total: total, termLosses: termLosses, featurePenalty: Double(try penalty.detached().item()),
            maskedFrameCount: maskedCount, metrics: metrics)
    }

    /// The backbone as an ``EncoderModel`` with the trained weights (copied), for feature
    /// extraction, export and probing.
    ///
    /// - Throws: when the extractor or encoder is not the built-in kind ``EncoderModel`` holds.
    public func encoderModel() throws -> EncoderModel {
        var unused = SplitMix64(seed: 0)
        let model = try EncoderModel(configuration: configuration, using: &unused)
        let mine = Dictionary(namedParameters().map { ($0.name, $0.parameter) }, uniquingKeysWith: { first, _ in first })
        for (name, parameter) in model.namedParameters() {
            guard let source = mine[name], source.shape == parameter.shape else {
                throw TensorError(
                    "MaskedPredictionModel",
                    "the backbone has no parameter \"\(name)\" of shape \(parameter.shape) for an EncoderModel")
            }
            parameter.value = source.value
        }
        model.setTraining(false)
        return model
    }
}
