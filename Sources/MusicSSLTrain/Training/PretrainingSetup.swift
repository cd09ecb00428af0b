import Foundation
import MusicSSLCore

/// Everything a ``PretrainingConfiguration`` describes, built: the model (initialised from the
/// run's seed), fairseq's Adam, the learning-rate schedule, the crop batches and the trainer's
/// options. `msl pretrain` is this plus a progress display.
///
/// ```swift
/// let configuration = try ConfigurationLoader.load(contentsOf: url)
/// let labels = try PretrainingSetup.clusterLabels(at: labelsURL, for: configuration)
/// let setup = try PretrainingSetup(configuration: configuration, labels: labels)
/// let data = try setup.batches(from: AudioCorpus(scanning: corpusURL))
/// try setup.trainer(data: data, directory: runURL).run(resume: true)
/// ```
public struct PretrainingSetup {
    /// The validated configuration.
    public let configuration: PretrainingConfiguration
    /// The model, freshly initialised (a resumed run overwrites it from the checkpoint).
    public let model: MaskedPredictionModel
    /// Adam with decoupled weight decay and fairseq's ε placement (model-spec §5.2).
    public let optimizer: AdamW
    /// `polynomial`: linear warmup then linear decay to 0; `tri_stage`: 3 % warmup, 90 % hold,
    /// 7 % exponential decay (model-spec §5.1).
    public let schedule: any LearningRateSchedule
    /// Steps, accumulation, clipping, checkpoints and logging.
    public let trainerOptions: PretrainingTrainer.Options

    /// Builds the parts of `configuration`.
    ///
    /// - Parameter labels: MusicHuBERT's frame labels (required for it, ignored by Music2vec);
    ///   their K must be `hubert.clusters`, their rate `hubert.label_rate` of the iteration.
    /// - Throws: ``ConfigurationError`` for an invalid configuration or labels that do not fit
    ///   it, and the model's and optimizer's errors.
    public init(configuration: PretrainingConfiguration, labels: (any FrameLabelSource)? = nil) throws {
        try configuration.validate()
        self.configuration = configuration
        let encoder = try configuration.encoderConfiguration()
        var generator = SplitMix64(seed: configuration.run.seed)
        let optimization = configuration.optimization
        switch configuration.objective {
        case .musichubert:
            let hubert = configuration.hubert
            guard let labels else {
                throw ConfigurationError.invalidValue(
                    key: "data.labels", value: "none",
                    expected: "a labels folder from `msl kmeans label` (MusicHuBERT's targets)")
            }
            guard labels.clusterCount == hubert.clusters else {
                throw ConfigurationError.invalidValue(
                    key: "hubert.clusters", value: "\(hubert.clusters)",
                    expected: "the labels' K, \(labels.clusterCount)")
            }
            guard Swift.abs(labels.labelRate - hubert.labelRate) < 1e-9 else {
                throw ConfigurationError.invalidValue(
                    key: "hubert.iteration", value: "\(hubert.iteration)",
                    expected: "an iteration whose label rate (\(hubert.labelRate) Hz) is the labels' (\(labels.labelRate) Hz)")
            }
            model = try .musicHuBERT(
                configuration: encoder, labels: labels, masking: configuration.spanMasking,
                finalDimensions: hubert.finalDimensions, featurePenaltyWeight: Float(hubert.featurePenalty),
                featureGradientScale: Float(optimization.featureGradientScale),
                unmaskedWeight: Float(hubert.unmaskedWeight), using: &generator)
        case .music2vec:
            let data2vec = configuration.data2vec
            model = try .music2vec(
                configuration: encoder, topLayerCount: data2vec.targetLayers,
                decaySchedule: EMADecaySchedule(
                    start: data2vec.emaStart, end: data2vec.emaEnd, annealSteps: data2vec.emaAnnealSteps),
                masking: configuration.spanMasking, beta: Float(data2vec.lossBeta),
                featureGradientScale: Float(optimization.featureGradientScale), using: &generator)
        }
        optimizer = try AdamW(
            beta1: Float(optimization.beta1), beta2: Float(optimization.beta2), epsilon: Float(optimization.epsilon),
            weightDecay: Float(optimization.weightDecay), epsilonPlacement: .beforeBiasCorrection)
        switch optimization.schedule {
        case "tri_stage":
            schedule = try TriStageSchedule(
                peakLearningRate: Float(optimization.learningRate), totalSteps: optimization.steps)
        default:
            schedule = try LinearWarmupPolynomialDecay(
                peakLearningRate: Float(optimization.learningRate),
                warmupSteps: Swift.min(optimization.warmupSteps, optimization.steps), totalSteps: optimization.steps)
        }
        var options = PretrainingTrainer.Options(steps: optimization.steps)
        options.accumulationSteps = optimization.accumulationSteps
        options.clipNorm = Float(optimization.clipNorm)
        options.checkpointEvery = configuration.run.checkpointEvery
        options.keepCheckpoints = configuration.run.keepCheckpoints
        options.logEvery = configuration.run.logEvery
        options.seed = configuration.run.seed
        trainerOptions = options
    }

    /// How crops are drawn: the configuration's batch size, crop length, rate and
    /// normalisation, seeded by the run's seed.
    public var cropBatchConfiguration: CropBatchConfiguration {
        let data = configuration.data
        return CropBatchConfiguration(
            batchSize: data.batchSize, cropSeconds: data.cropSeconds, sampleRate: data.sampleRate,
            normalization: data.normalize ? .fairseq : .none, seed: configuration.run.seed)
    }

    /// Prefetched crop batches of `corpus`; in a job of several ranks, this rank's rows of each.
    ///
    /// `data.batch_size` is per rank, as fairseq's `max_tokens` is per GPU: N ranks draw global
    /// batches of N × `batch_size` crops and rank r trains on rows r·B ..< (r+1)·B, so that
    /// N ranks train as one process with a batch N times larger.
    ///
    /// - Throws: ``CropBatchError`` when no file of `corpus` is as long as a crop.
    public func batches(
        from corpus: AudioCorpus, communicator: any Communicator = SingleProcessCommunicator()
    ) throws -> CorpusBatches {
        var crops = cropBatchConfiguration
        let perRank = crops.batchSize
        guard communicator.size > 1 else {
            return try CorpusBatches(
                source: CropBatchSource(corpus: corpus, configuration: crops),
                prefetchCount: configuration.data.prefetchBatches)
        }
        crops.batchSize = perRank * communicator.size
        return try CorpusBatches(
            source: CropBatchSource(corpus: corpus, configuration: crops),
            prefetchCount: configuration.data.prefetchBatches,
            rows: communicator.rank * perRank..<(communicator.rank + 1) * perRank)
    }

    /// A trainer of ``model`` on `data`, writing into `directory`, one rank of `communicator`'s job.
    public func trainer(
        data: any PretrainingBatchSource, directory: URL,
        communicator: any Communicator = SingleProcessCommunicator()
    ) -> PretrainingTrainer {
        PretrainingTrainer(
            model: model, optimizer: optimizer, schedule: schedule, data: data, options: trainerOptions,
            directory: directory, communicator: communicator)
    }

    /// Reads MusicHuBERT's labels from a `msl kmeans label` folder (split `train`) and checks
    /// them against `configuration`: K is `hubert.clusters`, the rate the iteration's, and,
    /// when the folder says what was clustered, the features are `hubert.mfcc_dimensions`-MFCC
    /// (iteration 1) or a model layer (iteration 2).
    ///
    /// - Throws: ``ClusterLabelError`` for unreadable labels, ``ConfigurationError`` naming the
    ///   key the labels contradict.
    public static func clusterLabels(
        at directory: URL, for configuration: PretrainingConfiguration, split: String = "train"
    ) throws -> ClusterLabelSource {
        let hubert = configuration.hubert
        let labels = try ClusterLabelSource(
            ClusterLabels(contentsOf: directory, split: split), labelRate: hubert.labelRate)
        guard labels.clusterCount == hubert.clusters else {
            throw ConfigurationError.invalidValue(
                key: "hubert.clusters", value: "\(hubert.clusters)",
                expected: "the K of the labels in \(directory.path), \(labels.clusterCount)")
        }
        guard let kind = labels.labels.featureKind else { return labels }
        switch (kind, hubert.iteration) {
        case (.mfcc(let variant), 1) where variant.dimensions != hubert.mfccDimensions:
            throw ConfigurationError.invalidValue(
                key: "hubert.mfcc_dimensions", value: "\(hubert.mfccDimensions)",
                expected: "the labels' MFCC dimensions, \(variant.dimensions) (\(directory.path))")
        case (.checkpointLayer(let layer), 2) where layer != hubert.iterationLayer:
            throw ConfigurationError.invalidValue(
                key: "hubert.iteration_layer", value: "\(hubert.iterationLayer)",
                expected: "the layer the labels in \(directory.path) cluster, \(layer)")
        case (.checkpointLayer, 1), (.mfcc, 2):
            throw ConfigurationError.invalidValue(
                key: "hubert.iteration", value: "\(hubert.iteration)",
                expected: "the iteration of the labels in \(directory.path), which cluster \(kind)")
        default:
            return labels
        }
    }
}
