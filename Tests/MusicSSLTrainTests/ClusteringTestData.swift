import Foundation
import MusicSSLTestSupport
import MusicSSLTrain

/// Synthetic data and fixture access for the clustering tests.
enum ClusteringTestData {
    /// Rows drawn around `centres` (one centre per row of it) with Gaussian noise of `scale`;
    /// returns the points and the centre each row came from.
    static func blobs(
        centres: [[Float]], pointsPerCentre: Int, scale: Float, seed: UInt64
    ) throws -> (points: Tensor, truth: [Int]) {
        var generator = SplitMix64(seed: seed)
        let dimensions = centres[0].count
        let noise = Tensor.randomNormal(
            [centres.count * pointsPerCentre, dimensions], using: &generator
        ).scalars
        var rows: [Float] = []
        var truth: [Int] = []
        // Interleaved, so no algorithm gets the clusters in order.
        for index in 0..<(centres.count * pointsPerCentre) {
            let centre = index % centres.count
            truth.append(centre)
            for d in 0..<dimensions {
                rows.append(centres[centre][d] + scale * noise[index * dimensions + d])
            }
        }
        return (try Tensor(shape: [rows.count / dimensions, dimensions], scalars: rows), truth)
    }

    /// `count` centres on a grid spaced `spacing` apart in `dimensions` dimensions.
    static func gridCentres(count: Int, dimensions: Int, spacing: Float) -> [[Float]] {
        (0..<count).map { index -> [Float] in
            // Corners of a hypercube, spaced along the first axis when there are more.
            (0..<dimensions).map { d -> Float in
                let corner = Float((index >> d) & 1) * spacing
                let offset: Float = d == 0 ? Float(index >> dimensions) * spacing * 2 : 0
                return corner + offset
            }
        }
    }

    /// The fixture written by `Tests/FixtureGenerators/kmeans.py`.
    static func fixture() throws -> [String: Tensor] {
        try Fixture.load("kmeans", in: Bundle.module)
    }

    /// Whether two labellings are the same partition up to renaming.
    static func isSamePartition(_ a: [Int], _ b: [Int]) -> Bool {
        var forward: [Int: Int] = [:], backward: [Int: Int] = [:]
        for (x, y) in zip(a, b) {
            if forward[x, default: y] != y || backward[y, default: x] != x { return false }
            forward[x] = y
            backward[y] = x
        }
        return a.count == b.count
    }

    /// Σ‖x − c‖² to the nearest centre, by brute force in Double.
    static func bruteForce(
        _ points: Tensor, _ centroids: Tensor
    ) -> (labels: [Int32], inertia: Double) {
        let (n, D, K) = (points.shape[0], points.shape[1], centroids.shape[0])
        let x = points.scalars, c = centroids.scalars
        var labels: [Int32] = []
        var inertia: Double = 0
        for i in 0..<n {
            var best = Double.infinity, bestIndex = 0
            for k in 0..<K {
                var sum: Double = 0
                for d in 0..<D {
                    let difference = Double(x[i * D + d]) - Double(c[k * D + d])
                    sum += difference * difference
                }
                if sum < best {
                    best = sum
                    bestIndex = k
                }
            }
            labels.append(Int32(bestIndex))
            inertia += best
        }
        return (labels, inertia)
    }
}

/// A key the fixture should hold but does not.
struct MissingFixtureKey: Error, CustomStringConvertible {
    let key: String
    var description: String {
        "kmeans.safetensors lacks '\(key)'; rerun Tests/FixtureGenerators/kmeans.py"
    }
}

extension Dictionary where Key == String, Value == Tensor {
    /// The tensor under `key`, or a clear error.
    func tensor(_ key: String) throws -> Tensor {
        guard let value = self[key] else { throw MissingFixtureKey(key: key) }
        return value
    }
}
