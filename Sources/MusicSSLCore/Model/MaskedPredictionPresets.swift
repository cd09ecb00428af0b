extension MaskedPredictionModel {
    /// Builds the built-in backbone for `configuration`: the CNN extractor and the Transformer
    /// encoder, initialised from `generator` in the order ``EncoderModel`` uses, then
    /// re-initialised as fairseq pre-trains from scratch (``PretrainingInitialization``).
    private static func backbone(
        _ configuration: EncoderConfiguration, using generator: inout some RandomNumberGenerator
    ) throws -> (ConvFeatureExtractor, TransformerEncoder) {
        let extractor = ConvFeatureExtractor(
            shapes: configuration.convolutionLayers, normalization: configuration.featureExtractorNormalization,
            epsilon: configuration.layerNormEpsilon, using: &generator)
        let encoder = try TransformerEncoder(configuration: configuration, using: &generator)
        PretrainingInitialization.initialize(extractor, using: &generator)
        PretrainingInitialization.initialize(encoder, using: &generator)
        return (extractor, encoder)
    }

    /// MusicHuBERT (HuBERT's objective on music): cosine/0.1 codebook logits against k-means
    /// labels on masked frames, feature penalty 10, `feature_grad_mult` 0.1.
    ///
    /// - Parameters:
    ///   - configuration: the backbone (`.hubertBase`, `.tiny`, …).
    ///   - labels: per-file cluster labels (iteration 1: MFCC k-means at 100 Hz; iteration 2: a
    ///     model layer's k-means at 50 Hz).
    ///   - masking: span masking (HuBERT's p 0.8, L 10 by default).
    ///   - finalDimensions: width of the projected space the labels are embedded in (256).
    public static func musicHuBERT(
        configuration: EncoderConfiguration, labels: any FrameLabelSource, masking: SpanMasking = .hubert,
        finalDimensions: Int = 256, featurePenaltyWeight: Float = 10, featureGradientScale: Float = 0.1,
        unmaskedWeight: Float = 0, using generator: inout some RandomNumberGenerator
    ) throws -> MaskedPredictionModel {
        let (extractor, encoder) = try backbone(configuration, using: &generator)
        let head = try CodebookClassifierHead(
            modelDimensions: configuration.modelDimensions, clusterCount: labels.clusterCount,
            finalDimensions: finalDimensions, using: &generator)
        let term = ObjectiveTerm(
            name: "hubert", targets: ClusterTargets(labels: labels, samplesPerFrame: extractor.samplesPerFrame),
            head: head)
        return try MaskedPredictionModel(
            configuration: configuration, featureExtractor: extractor, encoder: encoder, masking: masking,
            objectives: [term], featureGradientScale: featureGradientScale,
            featurePenaltyWeight: featurePenaltyWeight, unmaskedWeight: unmaskedWeight, using: &generator)
    }

    /// Music2vec (data2vec 1.0's objective on music): a linear head regresses, on masked frames,
    /// the EMA teacher's average of its top-K instance-normalised FFN outputs.
    ///
    /// - Parameters:
    ///   - configuration: the backbone (`.data2vecBase`, `.tiny`, …).
    ///   - topLayerCount: K, layers averaged (8; the paper's ablation 12).
    ///   - decaySchedule: the teacher's EMA decay (0.999 → 0.9999 over 30 000 updates).
    ///   - masking: span masking (data2vec's p 0.65, L 10 by default).
    ///   - beta: 0 for the squared error, else smooth-L1's threshold.
    public static func music2vec(
        configuration: EncoderConfiguration, topLayerCount: Int = 8,
        decaySchedule: EMADecaySchedule = .data2vec, masking: SpanMasking = .data2vec, beta: Float = 0,
        featureGradientScale: Float = 0.1, using generator: inout some RandomNumberGenerator
    ) throws -> MaskedPredictionModel {
        let (extractor, encoder) = try backbone(configuration, using: &generator)
        let teacher = try TeacherTargets(
            configuration: configuration, topLayerCount: topLayerCount, decaySchedule: decaySchedule)
        let head = try RegressionHead(
            modelDimensions: configuration.modelDimensions, targetDimensions: configuration.modelDimensions,
            beta: beta, using: &generator)
        let term = ObjectiveTerm(name: "data2vec", targets: teacher, head: head)
        return try MaskedPredictionModel(
            configuration: configuration, featureExtractor: extractor, encoder: encoder, masking: masking,
            objectives: [term], featureGradientScale: featureGradientScale, featurePenaltyWeight: 0,
            using: &generator)
    }
}
