import Foundation
import MusicSSLCore

/// Why k-means could not fit, assign, load or save.
///
/// Messages name the operation, the file and the shapes involved:
/// `[k-means] assign: expected features [N, 39], got [120, 60]`.
public enum KMeansError: Error, CustomStringConvertible, Equatable {
    /// A parameter is out of range; the sentence says which and why.
    case invalidArgument(String)
    /// Features are not a `[N, D]` matrix of the expected width (`expectedDimensions` nil when
    /// any width would do).
    case shapeMismatch(operation: String, expectedDimensions: Int?, shape: [Int])
    /// Fewer samples than clusters.
    case tooFewSamples(operation: String, sampleCount: Int, clusterCount: Int)
    /// A feature value is NaN or infinite; the row (0-based) of the first.
    case nonFiniteFeature(operation: String, row: Int)
    /// A k-means model file is unreadable or does not hold a valid model.
    case malformedModel(path: String, reason: String)

    /// `[k-means] <what went wrong>`.
    public var description: String {
        switch self {
        case .invalidArgument(let reason):
            "[k-means] \(reason)"
        case .shapeMismatch(let operation, let expected, let shape):
            "[k-means] \(operation): expected features [N, \(expected.map(String.init) ?? "D")], got \(shape)"
        case .tooFewSamples(let operation, let samples, let clusters):
            "[k-means] \(operation): \(samples) samples cannot make \(clusters) clusters"
        case .nonFiniteFeature(let operation, let row):
            "[k-means] \(operation): feature row \(row) holds NaN or infinity"
        case .malformedModel(let path, let reason):
            "[k-means] \(path): \(reason)"
        }
    }

    /// The row and column counts of a finite `[N, D]` matrix with N ≥ 1 and D ≥ 1.
    ///
    /// - Throws: ``shapeMismatch(operation:expectedDimensions:shape:)`` for another shape
    ///   (or another width than `dimensions`), ``nonFiniteFeature(operation:row:)`` for NaN or
    ///   infinity.
    static func checkMatrix(
        _ features: Tensor, dimensions: Int? = nil, operation: String, allowsEmpty: Bool = false
    ) throws -> (rows: Int, columns: Int) {
        guard features.rank == 2, features.shape[1] >= 1, allowsEmpty || features.shape[0] >= 1,
            dimensions == nil || features.shape[1] == dimensions
        else {
            throw KMeansError.shapeMismatch(
                operation: operation, expectedDimensions: dimensions, shape: features.shape)
        }
        let columns = features.shape[1]
        let badRow: Int? = features.withUnsafeBufferPointer { values in
            for (index, value) in values.enumerated() where !value.isFinite {
                return index / columns
            }
            return nil
        }
        if let badRow { throw KMeansError.nonFiniteFeature(operation: operation, row: badRow) }
        return (features.shape[0], columns)
    }

    /// Checks that `clusterCount` is positive and at most `sampleCount`.
    static func checkClusterCount(
        _ clusterCount: Int, sampleCount: Int, operation: String = "fit"
    ) throws {
        guard clusterCount >= 1 else {
            throw KMeansError.invalidArgument(
                "the number of clusters must be positive, got \(clusterCount)")
        }
        guard sampleCount >= clusterCount else {
            throw KMeansError.tooFewSamples(
                operation: operation, sampleCount: sampleCount, clusterCount: clusterCount)
        }
    }
}
