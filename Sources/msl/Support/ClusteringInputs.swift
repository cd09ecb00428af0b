import ArgumentParser
import Foundation
import MusicSSLCore
import MusicSSLTrain

/// The `--features` choices of `msl kmeans`.
enum ClusteringFeatureChoice: String, ExpressibleByArgument, CaseIterable {
    case mfcc39
    case mfcc60
    case checkpointLayer = "checkpoint-layer"

    /// The feature kind, with `layer` for checkpoint-layer.
    func kind(layer: Int) -> ClusterFeatureKind {
        switch self {
        case .mfcc39: .mfcc(.kaldi39)
        case .mfcc60: .mfcc(.kaldi60)
        case .checkpointLayer: .checkpointLayer(layer)
        }
    }
}

/// The `--algorithm` choices of `msl kmeans fit`.
enum ClusteringAlgorithmChoice: String, ExpressibleByArgument, CaseIterable {
    case minibatch
    case lloyd

    /// Checks the numeric k-means options.
    static func validate(batchSize: Int, maxIter: Int?, nInit: Int?, maxNoImprovement: Int) throws {
        guard batchSize >= 1 else {
            throw ValidationError("--batch-size must be positive, got \(batchSize).")
        }
        if let maxIter, maxIter < 1 {
            throw ValidationError("--max-iter must be positive, got \(maxIter).")
        }
        if let nInit, nInit < 1 {
            throw ValidationError("--n-init must be positive, got \(nInit).")
        }
        guard maxNoImprovement >= 1 else {
            throw ValidationError("--max-no-improvement must be positive, got \(maxNoImprovement).")
        }
    }
}

/// Corpus and feature set-up shared by `msl kmeans fit` and `msl kmeans label`.
enum ClusteringInputs {
    /// The corpus at `path`: a folder scanned recursively, or a fairseq `.tsv` manifest. The
    /// scan's summary (and any files it skipped) goes to standard error.
    static func openCorpus(_ path: String, reports: Bool = true) throws -> AudioCorpus {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        let corpus =
            FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
            ? AudioCorpus(manifest: try CorpusManifest(contentsOf: url))
            : try AudioCorpus(scanning: url)
        if reports { FileHandle.standardError.write(Data("corpus \(path): \(corpus.summary)\n".utf8)) }
        guard !corpus.files.isEmpty else {
            throw ValidationError("\(path) holds no audio file that decodes.")
        }
        return corpus
    }

    /// The feature source for `kind`; checkpoint-layer loads `checkpoint` and runs it on windows
    /// of `windowSeconds`.
    static func featureSource(
        for kind: ClusterFeatureKind, checkpoint: String?, windowSeconds: Double
    ) throws -> any FrameFeatureSource {
        switch kind {
        case .mfcc(let variant):
            return try MFCCFrameFeatures(variant)
        case .checkpointLayer(let layer):
            guard let checkpoint else {
                throw ValidationError("checkpoint-layer features need --from-checkpoint CKPT.")
            }
            let model = try EncoderCheckpoint.importEncoder(from: URL(fileURLWithPath: checkpoint))
                .model
            let window = Int(windowSeconds * Double(model.configuration.sampleRate))
            return try EncoderLayerFeatures(model: model, layer: layer, windowSampleCount: window)
        case .featuresFile:
            throw ValidationError(
                "features of a features file cannot be computed from audio; give --features.")
        }
    }

    /// Lists skipped clips on standard error (the first ten, then a count).
    static func reportSkipped(_ skipped: [SkippedClip], command: String) {
        guard !skipped.isEmpty else { return }
        var report = "\(command): skipped \(skipped.count) clip(s) that could not be used:\n"
        for clip in skipped.prefix(10) { report += "  \(clip)\n" }
        if skipped.count > 10 { report += "  and \(skipped.count - 10) more\n" }
        FileHandle.standardError.write(Data(report.utf8))
    }
}

/// Progress bars for a k-means fit: clip features, k-means++ seedings, then steps.
final class ClusteringProgress {
    private var clips: ProgressBar?
    private var seeding: ProgressBar?
    private var steps: ProgressBar?

    /// Takes one event of ``KMeansFitter``.
    func handle(_ event: KMeansFitter.Event) {
        switch event {
        case .clipFeatures(_, let total, let skipped):
            if clips == nil { clips = ProgressBar(label: "features", total: total) }
            clips?.advance(isFailure: skipped != nil)
        case .fit(let progress):
            fit(progress)
        }
    }

    /// Takes one progress report of the algorithm.
    func fit(_ progress: KMeansProgress) {
        switch progress {
        case .seeding(_, let total):
            clips?.finish()
            if seeding == nil { seeding = ProgressBar(label: "k-means++", total: total) }
            seeding?.advance()
        case .iteration(let completed, let maximum, _):
            clips?.finish()
            seeding?.finish()
            // Lloyd with several seedings starts over for each run.
            if completed == 1 { steps?.finish() }
            if steps == nil || completed == 1 {
                steps = ProgressBar(label: "k-means", total: maximum)
            }
            steps?.advance()
        }
    }

    /// Closes every bar (an early stop shows where it stopped).
    func finish() {
        clips?.finish()
        seeding?.finish()
        steps?.finish()
    }
}
