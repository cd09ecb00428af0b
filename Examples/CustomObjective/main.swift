// An example of a pre-training objective of one's own, composed from MusicSSL's public
// protocols without changing the library: MusicHuBERT's k-means cluster targets plus a
// MERT-style CQT-reconstruction term with its own head and weight (MERT, Li et al., 2023;
// model-spec §6.2).
//
// What it shows, in order:
//   1. a corpus of WAV files (synthetic chord progressions, so no data set is needed) read
//      by `AudioCorpus`;
//   2. MusicHuBERT's first-iteration labels, as `msl kmeans` makes them: k-means of MFCC-39
//      frames (`KMeansFitter`), every file labelled into a labels folder (`ClusterLabeler`),
//      read back by `ClusterLabelSource`;
//   3. a `MaskedPredictionModel` composed by hand from the built-in backbone and two
//      `ObjectiveTerm`s: `hubert` (`ClusterTargets` + `CodebookClassifierHead`, weight 1) and
//      `cqt` (this example's `CQTTargets` + `CQTReconstructionHead`, weight --cqt-weight);
//   4. `PretrainingTrainer` training it on prefetched random crops (`CorpusBatches`), with
//      checkpoints, metrics.jsonl, the loss curve and the exported encoder in the run folder;
//   5. each term's loss and monitor on fixed batches under fixed masks, before and after
//      training; the program exits with status 1 unless every term's loss and the total fell.
//
// Tiny settings throughout (a 2-layer, 32-wide encoder; 1 s crops; K = 8; a 60-bin CQT where
// MERT uses 336 bins at 48 per octave from 32.7 Hz at 24 kHz). The default 600 updates take
// about 7 s in a release build and end near 0.9 masked accuracy (8 clusters) and a CQT R² near
// 0.7; the first ~300 updates only learn the labels' and bins' averages, so a short run (as
// `make examples` does in a debug build) shows the parts working together, not the learning.
//
//   swift run -c release custom-objective [--steps N] [--cqt-weight W]
//       [--cqt-scale log|linear] [--out DIR]

import Foundation
import MusicSSLCore
import MusicSSLTrain

/// A 2-layer, 32-wide backbone with the base model's CNN strides (50 frames per second at
/// 16 kHz) and no dropout.
let encoderConfiguration = EncoderConfiguration(
    convolutionLayers: ConvolutionLayerShape.wav2vec2(channels: 16),
    modelDimensions: 32, layerCount: 2, headCount: 4, feedForwardDimensions: 64,
    positionalConvolution: .weightNormalized(kernelSize: 16, groupCount: 4),
    dropoutProbability: 0, attentionDropoutProbability: 0, inputDropoutProbability: 0,
    layerDropProbability: 0)

/// The CQT regressed: MERT's kernels, padding and scaling (model-spec §6.2) at the encoder's
/// rate (hop 320 at 16 kHz, 50 Hz), but 60 bins at 12 per octave from C2 (65.4 Hz to 1.98 kHz)
/// instead of MERT's 336 at 48 per octave from 32.7 Hz.
let cqtConfiguration = CQTConfiguration(
    sampleRate: 16_000, hopLength: 320, minimumFrequency: 65.41, binCount: 60, binsPerOctave: 12,
    padding: .constant)

/// Clips per batch and seconds per clip.
let (batchSize, cropSeconds) = (4, 1.0)

/// Batches of random crops, all fixed by `seed`.
func crops(seed: UInt64) -> CropBatchConfiguration {
    CropBatchConfiguration(batchSize: batchSize, cropSeconds: cropSeconds, seed: seed)
}

/// MusicHuBERT's iteration-1 labels of `corpus`: k-means (K = 8) of its MFCC-39 frames, every
/// file labelled into `folder` as `msl kmeans label` writes it, and read back.
func clusterLabels(of corpus: AudioCorpus, in folder: URL) throws -> ClusterLabelSource {
    let features = try MFCCFrameFeatures(.kaldi39)
    var generator = SplitMix64(seed: 11)
    let fit = try KMeansFitter(algorithm: .lloyd(.init(clusterCount: 8)))
        .fit(corpus: corpus, features: features, using: &generator)
    let summary = try ClusterLabeler(model: fit.model, features: features)
        .writeLabels(for: corpus, split: "train", to: folder)
    print(
        "labels: k-means of MFCC-39, K = \(fit.model.clusterCount), \(summary.frameCount) frames "
            + "at 100 Hz in \(folder.lastPathComponent)/")
    return try ClusterLabelSource(ClusterLabels(contentsOf: folder))
}

/// The model: the built-in CNN and Transformer, initialised as fairseq pre-trains from
/// scratch, with MusicHuBERT's term and the CQT term.
func makeModel(labels: ClusterLabelSource, arguments: Arguments) throws -> MaskedPredictionModel {
    let configuration = encoderConfiguration
    var generator = SplitMix64(seed: 1)
    let extractor = ConvFeatureExtractor(
        shapes: configuration.convolutionLayers,
        normalization: configuration.featureExtractorNormalization,
        epsilon: configuration.layerNormEpsilon, using: &generator)
    let encoder = try TransformerEncoder(configuration: configuration, using: &generator)
    PretrainingInitialization.initialize(extractor, using: &generator)
    PretrainingInitialization.initialize(encoder, using: &generator)

    let hubert = ObjectiveTerm(
        name: "hubert",
        targets: ClusterTargets(labels: labels, samplesPerFrame: extractor.samplesPerFrame),
        head: try CodebookClassifierHead(
            modelDimensions: configuration.modelDimensions, clusterCount: labels.clusterCount,
            finalDimensions: 16, using: &generator))
    let cqtTargets = try CQTTargets(
        configuration: cqtConfiguration, samplesPerFrame: extractor.samplesPerFrame,
        scale: arguments.cqtScale)
    let cqt = ObjectiveTerm(
        name: "cqt", targets: cqtTargets,
        head: try CQTReconstructionHead(
            modelDimensions: configuration.modelDimensions, binCount: cqtTargets.binCount,
            using: &generator),
        weight: arguments.cqtWeight)
    return try MaskedPredictionModel(
        configuration: configuration, featureExtractor: extractor, encoder: encoder,
        masking: SpanMasking(probability: 0.5, spanLength: 4, minimumMasks: 1),
        objectives: [hubert, cqt],
        featureGradientScale: 0.1, featurePenaltyWeight: 10, using: &generator)
}

/// Prints the losses and monitors before and after training and returns those that should
/// have fallen and did not: the total and every term with a positive weight.
func compare(
    _ before: FixedBatchLosses, _ after: FixedBatchLosses, terms: [ObjectiveTerm]
) -> [String] {
    func row(_ label: String, _ old: Double, _ new: Double) {
        print(
            label.padding(toLength: 34, withPad: " ", startingAt: 0)
                + String(format: "%9.4f  →%9.4f", old, new))
    }
    print("on \(batchSize * 2) fixed clips, fixed masks:        before      after")
    // A missing term reads as NaN, which never counts as having fallen.
    func term(_ losses: FixedBatchLosses, _ name: String) -> Double { losses.terms[name] ?? .nan }
    for objective in terms {
        let name = objective.name
        row("\(name) loss (× \(objective.weight))", term(before, name), term(after, name))
    }
    row("feature penalty (× 10)", before.featurePenalty, after.featurePenalty)
    row("total", before.total, after.total)
    for key in before.metrics.keys.sorted() {
        row("  \(key)", before.metrics[key] ?? .nan, after.metrics[key] ?? .nan)
    }
    var failures: [String] = []
    for objective in terms where objective.weight > 0 {
        if !(term(after, objective.name) < term(before, objective.name)) {
            failures.append("the \(objective.name) loss")
        }
    }
    if !(after.total < before.total) { failures.append("the total loss") }
    return failures
}

/// Fixed clips to score before and after training: crops drawn with another seed than
/// training's.
func fixedBatches(of corpus: AudioCorpus) throws -> [PretrainingBatch] {
    let source = try CropBatchSource(corpus: corpus, configuration: crops(seed: 1_000))
    return try (0..<2).map {
        PretrainingBatch(try source.batch(at: $0), sampleRate: source.configuration.sampleRate)
    }
}

/// A trainer of `model` on random crops of `corpus` (prefetched by `data`), with HuBERT's
/// optimizer settings, a 10 % warmup and linear decay, writing into `directory`.
func makeTrainer(
    _ model: MaskedPredictionModel, data: CorpusBatches, steps: Int, directory: URL
) throws -> PretrainingTrainer {
    var options = PretrainingTrainer.Options(steps: steps)
    options.clipNorm = 10
    options.logEvery = Swift.max(1, steps / 6)
    options.checkpointEvery = steps
    options.keepCheckpoints = 1
    options.seed = 3
    return PretrainingTrainer(
        model: model,
        optimizer: try AdamW(beta1: 0.9, beta2: 0.98, epsilon: 1e-6, weightDecay: 0.01),
        schedule: try LinearWarmupPolynomialDecay(
            peakLearningRate: 5e-3, warmupSteps: steps / 10, totalSteps: steps),
        data: data, options: options, directory: directory)
}

/// Builds everything in `arguments`' folder, trains, and returns the losses that did not fall.
func run(_ arguments: Arguments) throws -> [String] {
    let temporary = FileManager.default.temporaryDirectory
    let folder = arguments.output ?? temporary.appendingPathComponent("custom-objective-\(UUID())")
    let runFolder = folder.appendingPathComponent("run")
    guard !FileManager.default.fileExists(atPath: runFolder.path) else {
        throw ArgumentError.invalid("\(runFolder.path) holds a run already; give --out a new folder")
    }
    defer { if arguments.output == nil { try? FileManager.default.removeItem(at: folder) } }

    let audio = folder.appendingPathComponent("audio")
    _ = try SyntheticCorpus().write(to: audio)
    let corpus = try AudioCorpus(scanning: audio)
    print("corpus: \(corpus.files.count) files, \(corpus.totalDurationSeconds) s of synthetic music")

    let labels = try clusterLabels(of: corpus, in: folder.appendingPathComponent("labels"))
    let model = try makeModel(labels: labels, arguments: arguments)
    let terms = model.objectives.map { "\($0.name) × \($0.weight)" }
    print("model: \(model.parameterCount) parameters; terms \(terms.joined(separator: ", "))")

    let fixed = try fixedBatches(of: corpus)
    let before = try FixedBatchLosses(of: model, on: fixed, seed: 99)

    let training = try CropBatchSource(corpus: corpus, configuration: crops(seed: 1))
    let data = try CorpusBatches(source: training)
    defer { data.stop() }
    let trainer = try makeTrainer(model, data: data, steps: arguments.steps, directory: runFolder)
    try trainer.run(resume: false) { progress in
        let explained = progress.metrics["cqt/explained_variance"] ?? .nan
        print(progress.progressLine.render() + String(format: "  cqt R² %.3f", explained))
    }

    let after = try FixedBatchLosses(of: model, on: fixed, seed: 99)
    let failures = compare(before, after, terms: model.objectives)
    if arguments.output != nil {
        print("run folder: \(runFolder.path) (metrics.jsonl, loss_curve.svg, checkpoints/, ")
        print("  encoder.safetensors); labels and audio beside it")
    }
    return failures
}

do {
    let failures = try run(Arguments(Array(CommandLine.arguments.dropFirst())))
    guard failures.isEmpty else {
        let message = "training did not lower \(failures.joined(separator: ", "))"
        FileHandle.standardError.write(Data("custom-objective: \(message)\n".utf8))
        exit(1)
    }
} catch ArgumentError.help {
    print(Arguments.usage)
} catch ArgumentError.invalid(let message) {
    FileHandle.standardError.write(Data("custom-objective: \(message)\n\(Arguments.usage)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("custom-objective: \(error)\n".utf8))
    exit(1)
}
