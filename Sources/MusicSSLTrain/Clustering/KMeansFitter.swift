import Foundation
import MusicSSLCore

/// Fits a ``KMeansModel`` to the frame features of a corpus (or to a precomputed matrix), on
/// a sampled fraction of it as fairseq's `learn_kmeans.py --percent` does.
///
/// ```swift
/// let corpus = try AudioCorpus(scanning: URL(fileURLWithPath: "/data/music"))
/// let fitter = KMeansFitter(
///     algorithm: .miniBatch(.init(clusterCount: 500)), sampledFraction: 0.1)
/// var generator = SplitMix64(seed: 0)
/// let fit = try fitter.fit(corpus: corpus, features: try MFCCFrameFeatures(.kaldi39), using: &generator)
/// try fit.model.save(to: URL(fileURLWithPath: "km.safetensors"))
/// ```
///
/// Only the sampled clips are decoded, one at a time; their frames are gathered into one
/// `[N, D]` matrix for the algorithm (fairseq does the same with `np.concatenate`).
public struct KMeansFitter {
    /// The algorithm and its parameters.
    public var algorithm: KMeansAlgorithm
    /// The fraction of clips (of rows, for a matrix) drawn without replacement, in (0, 1];
    /// nil for all. fairseq draws ⌈count × fraction⌉ clips; its README uses 0.1.
    public var sampledFraction: Double?

    /// What happens during a corpus fit, for a progress bar.
    public enum Event {
        /// Features of `completed` of `total` sampled clips computed; `skipped` when this one
        /// failed.
        case clipFeatures(completed: Int, total: Int, skipped: SkippedClip?)
        /// The algorithm's own progress.
        case fit(KMeansProgress)
    }

    /// A fitted model and the clips that were sampled but skipped.
    public struct CorpusFit {
        /// The model, with its fit report.
        public let model: KMeansModel
        /// Sampled clips whose features failed.
        public let skipped: [SkippedClip]
    }

    /// Creates a fitter.
    public init(algorithm: KMeansAlgorithm, sampledFraction: Double? = nil) {
        self.algorithm = algorithm
        self.sampledFraction = sampledFraction
    }

    /// Fits to the features of a sampled fraction of `corpus`'s clips.
    ///
    /// - Parameters:
    ///   - features: Computes each clip's `[frames, D]` rows.
    ///   - events: Called after each clip and each step of the algorithm.
    /// - Throws: ``KMeansError`` for a fraction outside (0, 1], an empty corpus, fewer frames
    ///   than clusters (after skipping clips that failed), or the algorithm's errors.
    public func fit(
        corpus: AudioCorpus, features: some FrameFeatureSource,
        using generator: inout some RandomNumberGenerator, events: ((Event) -> Void)? = nil
    ) throws -> CorpusFit {
        guard !corpus.files.isEmpty else {
            throw KMeansError.invalidArgument(
                "the corpus at \(corpus.root.path) has no usable audio file")
        }
        let chosen = try sampleIndices(count: corpus.files.count, using: &generator)
        var rows: [Float] = []
        var skipped: [SkippedClip] = []
        for (position, index) in chosen.enumerated() {
            let file = corpus.files[index]
            var failure: SkippedClip?
            do {
                let frames = try features.features(of: file)
                guard frames.rank == 2, frames.shape[1] == features.dimensions else {
                    throw KMeansError.shapeMismatch(
                        operation: "features of \(file.path)",
                        expectedDimensions: features.dimensions,
                        shape: frames.shape)
                }
                frames.withUnsafeBufferPointer { rows.append(contentsOf: $0) }
            } catch {
                let clip = SkippedClip(path: file.path, reason: "\(error)")
                failure = clip
                skipped.append(clip)
            }
            events?(.clipFeatures(completed: position + 1, total: chosen.count, skipped: failure))
        }
        let frameCount = rows.count / features.dimensions
        try KMeansError.checkClusterCount(
            algorithm.clusterCount, sampleCount: frameCount,
            operation: "fit on \(chosen.count - skipped.count) of \(chosen.count) sampled clips")
        let matrix = try Tensor(shape: [frameCount, features.dimensions], scalars: rows)
        rows = []
        let result = try algorithm.fit(matrix, using: &generator) { events?(.fit($0)) }
        let report = KMeansFitReport(
            algorithm: algorithm, sampleCount: matrix.shape[0], inertia: result.inertia,
            iterationCount: result.iterationCount, stopReason: result.stopReason,
            sampledFraction: sampledFraction, source: corpus.root.path)
        let model = try KMeansModel(
            centroids: result.centroids, featureKind: features.kind, fitReport: report)
        return CorpusFit(model: model, skipped: skipped)
    }

    /// Fits to a sampled fraction of the rows of a precomputed matrix.
    ///
    /// - Parameters:
    ///   - matrix: `[N, D]`, finite.
    ///   - kind: What the rows are (``ClusterFeatureKind/featuresFile`` when unknown).
    ///   - source: Where the rows came from, for the report.
    ///   - progress: The algorithm's progress.
    /// - Throws: ``KMeansError`` for a bad fraction or input, or the algorithm's errors.
    public func fit(
        matrix: Tensor, kind: ClusterFeatureKind = .featuresFile, source: String? = nil,
        using generator: inout some RandomNumberGenerator,
        progress: ((KMeansProgress) -> Void)? = nil
    ) throws -> KMeansModel {
        let (rowCount, _) = try KMeansError.checkMatrix(
            matrix, dimensions: kind.fixedDimensions, operation: "KMeansFitter.fit")
        let chosen = try sampleIndices(count: rowCount, using: &generator)
        let sample = chosen.count == rowCount ? matrix : try gatherRows(of: matrix, at: chosen)
        let result = try algorithm.fit(sample, using: &generator, progress: progress)
        let report = KMeansFitReport(
            algorithm: algorithm, sampleCount: sample.shape[0], inertia: result.inertia,
            iterationCount: result.iterationCount, stopReason: result.stopReason,
            sampledFraction: sampledFraction, source: source)
        return try KMeansModel(centroids: result.centroids, featureKind: kind, fitReport: report)
    }

    /// ⌈count × fraction⌉ distinct indices drawn uniformly (all when there is no fraction), in
    /// increasing order so that files are read in corpus order.
    func sampleIndices(
        count: Int, using generator: inout some RandomNumberGenerator
    ) throws -> [Int] {
        guard let fraction = sampledFraction else { return Array(0..<count) }
        guard fraction > 0, fraction <= 1 else {
            throw KMeansError.invalidArgument(
                "the sampled fraction must be in (0, 1], got \(fraction)")
        }
        let chosenCount = Swift.min(count, Int((Double(count) * fraction).rounded(.up)))
        var indices = Array(0..<count)
        for i in 0..<chosenCount {
            indices.swapAt(i, Int.random(in: i..<count, using: &generator))
        }
        return indices.prefix(chosenCount).sorted()
    }
}
