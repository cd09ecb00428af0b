import Foundation
import MusicSSLCore

/// Frame labels of a corpus's clips in fairseq's HuBERT label layout, written and read back.
///
/// A labels folder holds, for each split (`train`, `valid`, …):
/// - `<split>.tsv`: the clips, as a fairseq manifest (the corpus root on the first line, then
///   `relative/path<TAB>num_samples` per clip, `num_samples` at the file's native rate);
/// - `<split>.km`: one line per clip in the same order, its cluster ids separated by spaces;
/// - `<split>.km.json`: MusicSSL's sidecar with the label rate (Hz), K, the feature kind and
///   the k-means model file (fairseq ignores it);
/// and once, `dict.km.txt`: the line `"<id> 1"` for each id 0..<K, fairseq's dictionary (which
/// fairseq offsets by its 4 special symbols, so cluster c is class c + 4 there).
///
/// ```swift
/// let labels = try ClusterLabels(contentsOf: URL(fileURLWithPath: "labels"), split: "train")
/// labels.labels(forPath: "rock/track01.flac")   // [Int32] at labels.labelRate Hz
/// ```
public struct ClusterLabels {
    /// One clip's labels.
    public struct Clip: Equatable, Sendable {
        /// The path relative to ``ClusterLabels/root``, as the manifest lists it.
        public let path: String
        /// Frames of the audio file at its native rate (the manifest's `num_samples`).
        public let sampleCount: Int
        /// Cluster ids in `0..<clusterCount`, one per label frame.
        public let labels: [Int32]

        /// Creates a clip entry.
        public init(path: String, sampleCount: Int, labels: [Int32]) {
            self.path = path
            self.sampleCount = sampleCount
            self.labels = labels
        }
    }

    /// The split's name, the file name stem (`train` for `train.km`).
    public let split: String
    /// The corpus folder the paths are relative to.
    public let root: URL
    /// The clips in file order.
    public let clips: [Clip]
    /// K, the number of clusters (entries in `dict.km.txt`).
    public let clusterCount: Int
    /// Labels per second (100 for MFCC, 50 for encoder layers); nil when the folder has no
    /// sidecar (labels written by fairseq).
    public let labelRate: Double?
    /// The features the labels cluster, when known.
    public let featureKind: ClusterFeatureKind?
    /// The k-means model file the labels came from, when known.
    public let modelPath: String?
    private let clipIndex: [String: Int]

    /// Labels to write or to use.
    ///
    /// - Throws: ``ClusterLabelError`` when K is not positive, a label is outside `0..<K`, a
    ///   path is empty or holds a tab or newline, or the split name is not a plain file name.
    public init(
        split: String, root: URL, clips: [Clip], clusterCount: Int, labelRate: Double?,
        featureKind: ClusterFeatureKind? = nil, modelPath: String? = nil
    ) throws {
        guard !split.isEmpty, !split.contains("/"), !split.hasPrefix(".") else {
            throw ClusterLabelError(
                path: split, .invalidArgument("a split name must be a plain file name stem"))
        }
        guard clusterCount >= 1 else {
            throw ClusterLabelError(
                path: split, .invalidArgument("K must be positive, got \(clusterCount)"))
        }
        if let labelRate, !(labelRate > 0 && labelRate.isFinite) {
            throw ClusterLabelError(
                path: split, .invalidArgument("the label rate must be positive, got \(labelRate)"))
        }
        for (line, clip) in clips.enumerated() {
            guard !clip.path.isEmpty, !clip.path.contains(where: { $0 == "\t" || $0.isNewline })
            else {
                throw ClusterLabelError(
                    path: clip.path,
                    .invalidArgument("a clip path must be non-empty without tabs or newlines"))
            }
            if let bad = clip.labels.first(where: { $0 < 0 || Int($0) >= clusterCount }) {
                throw ClusterLabelError(
                    path: clip.path,
                    .clusterIDOutOfRange(line: line + 1, id: Int(bad), clusterCount: clusterCount))
            }
        }
        self.split = split
        self.root = root
        self.clips = clips
        self.clusterCount = clusterCount
        self.labelRate = labelRate
        self.featureKind = featureKind
        self.modelPath = modelPath
        var index: [String: Int] = [:]
        for (position, clip) in clips.enumerated() where index[clip.path] == nil {
            index[clip.path] = position
        }
        clipIndex = index
    }

    /// The labels of the clip at `path` (relative to ``root``, as listed); the first entry when
    /// a path is listed twice; nil when it is not listed.
    public func labels(forPath path: String) -> [Int32]? {
        clipIndex[path].map { clips[$0].labels }
    }

    /// `<split>.km`.
    public static func labelFileName(split: String) -> String { "\(split).km" }
    /// `<split>.tsv`.
    public static func manifestFileName(split: String) -> String { "\(split).tsv" }
    /// `<split>.km.json`.
    public static func infoFileName(split: String) -> String { "\(split).km.json" }
    /// `dict.km.txt`.
    public static let dictionaryFileName = "dict.km.txt"

    /// Writes the split's files and `dict.km.txt` into `directory` (created if missing), each
    /// atomically.
    ///
    /// - Throws: ``ClusterLabelError`` when a file cannot be written.
    public func write(to directory: URL) throws {
        let files = ClusterLabelFiles(directory: directory, split: split)
        try files.createDirectory()
        try files.writeLabels { append in
            for clip in clips { try append(clip.labels) }
        }
        try files.writeManifest(root: root, clips: clips.map { ($0.path, $0.sampleCount) })
        try files.writeDictionary(clusterCount: clusterCount)
        try files.writeInfo(
            ClusterLabelInfo(
                labelRate: labelRate, clusterCount: clusterCount,
                featureKind: featureKind?.description, model: modelPath))
    }
}
