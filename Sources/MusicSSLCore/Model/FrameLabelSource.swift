/// Per-file frame labels at a fixed rate (k-means cluster ids of MFCC or of a model layer), as
/// ``ClusterTargets`` reads them.
public protocol FrameLabelSource {
    /// Labels per second (100 for MFCC frames, 50 for a base model's layer).
    var labelRate: Double { get }
    /// Clusters the labels come from (K); every label is in `0..<clusterCount`.
    var clusterCount: Int { get }
    /// The labels of the file at `path` (relative to the corpus root).
    ///
    /// - Throws: when the file has no labels.
    func labels(forPath path: String) throws -> [Int]
}

/// Labels held in memory, keyed by path: for tests, or for labels computed on the fly.
public struct FrameLabelTable: FrameLabelSource {
    public let labelRate: Double
    public let clusterCount: Int
    /// Labels by corpus-relative path.
    public let labelsByPath: [String: [Int]]

    /// Creates a table.
    public init(labelRate: Double, clusterCount: Int, labelsByPath: [String: [Int]]) {
        self.labelRate = labelRate
        self.clusterCount = clusterCount
        self.labelsByPath = labelsByPath
    }

    public func labels(forPath path: String) throws -> [Int] {
        guard let labels = labelsByPath[path] else {
            throw TensorError("FrameLabelTable", "no labels for \"\(path)\"")
        }
        return labels
    }
}
