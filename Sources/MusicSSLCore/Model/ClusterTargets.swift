import Foundation

/// HuBERT's targets: each frame's k-means label, cut from its file's label sequence where the
/// clip starts and resampled to the frame rate (model-spec §3.3).
///
/// With `ratio = labelRate · samplesPerFrame / sampleRate` (2 for 100 Hz MFCC labels and 50 Hz
/// frames), frame j of a clip starting s seconds into its file takes label
/// `round(s · labelRate) + ⌊j · ratio⌋`; MFCC frame 2j and CNN frame j are both centred 320j + 200
/// samples into the clip. Frames whose label lies past the file's end, and padding frames, get
/// no target (fairseq trims those frames instead; the loss is the same).
public final class ClusterTargets: TargetProvider {
    /// Where labels come from.
    public let labels: any FrameLabelSource
    /// Samples per encoder frame (the feature extractor's hop).
    public let samplesPerFrame: Int

    /// Creates targets from `labels` for a model whose frames are `samplesPerFrame` apart.
    public init(labels: any FrameLabelSource, samplesPerFrame: Int = 320) {
        self.labels = labels
        self.samplesPerFrame = samplesPerFrame
    }

    public func targets(for context: TargetContext) throws -> FrameTargets {
        let op = "ClusterTargets"
        let batch = context.frameLengths.count
        guard let sources = context.batch.sources, sources.count == batch else {
            throw TensorError(
                op, "needs each clip's file and start (batch sources) to cut its labels; got "
                    + "\(context.batch.sources?.count ?? 0) for \(batch) clips")
        }
        let frames = context.frameCount
        let ratio = labels.labelRate * Double(samplesPerFrame) / Double(context.batch.sampleRate)
        var ids = [Int](repeating: FrameTargets.ignoredClass, count: batch * frames)
        for (example, source) in sources.enumerated() {
            let fileLabels = try labels.labels(forPath: source.path)
            // Python's round (halves to even), as fairseq's collater_frm_label.
            let first = Int((source.startSeconds * labels.labelRate).rounded(.toNearestOrEven))
            for frame in 0..<context.frameLengths[example] {
                let index = first + Int(Double(frame) * ratio)
                guard index >= 0, index < fileLabels.count else { break }
                let label = fileLabels[index]
                guard label >= 0, label < labels.clusterCount else {
                    throw TensorError(
                        op, "label \(label) at position \(index) of \"\(source.path)\" is outside "
                            + "0..<\(labels.clusterCount)")
                }
                ids[example * frames + frame] = label
            }
        }
        return .classes(ids, classCount: labels.clusterCount)
    }
}
