import Foundation
import MusicSSLCore

/// K centroids in feature space and what they were fitted on; assigns each feature row to its
/// nearest centroid, as fairseq's `dump_km_label.py` (`ApplyKmeans`) does.
///
/// ```swift
/// let model = try KMeansModel.load(from: URL(fileURLWithPath: "km.safetensors"))
/// let labels = try model.assign(mfcc)          // [frames] cluster ids in 0..<K
/// let inertia = try model.inertia(of: mfcc)    // Σ ‖x − c_label‖²
/// ```
///
/// The distance is the squared Euclidean `‖x‖² − 2 x·c + ‖c‖²` with the cross term from one
/// GEMM per block of 256 rows, blocks split across `Parallelism.threadCount` threads, so
/// memory stays at one block of distances per thread whatever N is.
public struct KMeansModel {
    /// `[clusterCount, dimensions]`.
    public let centroids: Tensor
    /// The features the centroids live among.
    public var featureKind: ClusterFeatureKind
    /// How the model was fitted, when it was fitted here.
    public var fitReport: KMeansFitReport?

    /// K, the number of clusters.
    public var clusterCount: Int { centroids.shape[0] }
    /// D, values per feature row.
    public var dimensions: Int { centroids.shape[1] }

    /// A model with the given centroids.
    ///
    /// - Throws: ``KMeansError`` when `centroids` is not a finite `[K, D]` matrix with K, D ≥ 1,
    ///   or its width differs from the one `featureKind` implies (39 or 60 for MFCC).
    public init(
        centroids: Tensor, featureKind: ClusterFeatureKind = .featuresFile,
        fitReport: KMeansFitReport? = nil
    ) throws {
        _ = try KMeansError.checkMatrix(
            centroids, dimensions: featureKind.fixedDimensions, operation: "centroids")
        self.centroids = centroids
        self.featureKind = featureKind
        self.fitReport = fitReport
    }

    /// The nearest centroid of each row of `features`.
    ///
    /// - Parameter features: `[N, dimensions]`, finite; N may be 0.
    /// - Returns: N cluster ids in `0..<clusterCount` (the lowest on a tie).
    /// - Throws: ``KMeansError`` for another width or a non-finite value.
    public func assign(_ features: Tensor) throws -> [Int32] {
        try assignWithDistances(features).labels
    }

    /// The nearest centroid of each row and the squared distance to it.
    ///
    /// - Parameter features: `[N, dimensions]`, finite.
    /// - Returns: N cluster ids and N squared distances `‖x − c_label‖²`.
    /// - Throws: ``KMeansError`` for another width or a non-finite value.
    public func assignWithDistances(
        _ features: Tensor
    ) throws -> (labels: [Int32], squaredDistances: [Float]) {
        let (rows, _) = try KMeansError.checkMatrix(
            features, dimensions: dimensions, operation: "assign", allowsEmpty: true)
        var labels = [Int32](repeating: 0, count: rows)
        var distances = [Float](repeating: 0, count: rows)
        guard rows > 0 else { return (labels, distances) }
        let search = NearestCentroids(
            centroids: centroids.scalars, clusterCount: clusterCount, dimensions: dimensions)
        features.withBase { points in
            labels.withMutableBase { labelBuffer in
                distances.withMutableBase { distanceBuffer in
                    search.assign(
                        points, count: rows, labels: labelBuffer,
                        squaredDistances: distanceBuffer)
                }
            }
        }
        return (labels, distances)
    }

    /// Σ over rows of the squared distance to the nearest centroid (scikit-learn's inertia;
    /// fairseq's `learn_kmeans.py` logs it divided by N).
    ///
    /// - Parameter features: `[N, dimensions]`, finite.
    /// - Throws: ``KMeansError`` for another width or a non-finite value.
    public func inertia(of features: Tensor) throws -> Double {
        try assignWithDistances(features).squaredDistances.reduce(0) { $0 + Double($1) }
    }
}
