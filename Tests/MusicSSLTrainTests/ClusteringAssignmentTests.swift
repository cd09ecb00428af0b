import Foundation
import MusicSSLTestSupport
import Testing

@testable import MusicSSLTrain

/// Nearest-centroid assignment and the model file.
@Suite("k-means assignment and model files")
struct ClusteringAssignmentTests {
    @Test("assignment equals a brute-force nearest centroid, across block edges and thread counts")
    func bruteForce() throws {
        var generator = SplitMix64(seed: 11)
        // 700 rows: two full 256-row blocks and a partial one; K = 37 is not a multiple of 8.
        let points = Tensor.randomNormal([700, 13], using: &generator)
        let centroids = Tensor.randomNormal([37, 13], using: &generator)
        let model = try KMeansModel(centroids: centroids)
        let expected = ClusteringTestData.bruteForce(points, centroids)
        for threads in [1, 2, 3] {
            let (labels, distances) = try Parallelism.withThreadCount(threads) {
                try model.assignWithDistances(points)
            }
            #expect(labels == expected.labels, "threads \(threads)")
            let inertia = distances.reduce(0) { $0 + Double($1) }
            #expect(abs(inertia - expected.inertia) <= 1e-5 * expected.inertia)
        }
        #expect(abs(try model.inertia(of: points) - expected.inertia) <= 1e-5 * expected.inertia)
    }

    @Test("ties go to the lowest centroid index, as numpy's argmin")
    func ties() throws {
        // 20 identical centroids (so the SIMD lanes all tie) and one row.
        let centroids = try Tensor(
            shape: [20, 2], scalars: Array(repeating: [1, 1], count: 20).flatMap { $0 })
        let model = try KMeansModel(centroids: centroids)
        #expect(try model.assign(try Tensor(shape: [1, 2], scalars: [0, 0])) == [0])
        let shifted = try Tensor(
            shape: [20, 2], scalars: (0..<20).flatMap { $0 < 9 ? [5, 5] : [1, 1] as [Float] })
        #expect(
            try KMeansModel(centroids: shifted).assign(try Tensor(shape: [1, 2], scalars: [0, 0]))
                == [9])
    }

    @Test("wrong widths, non-finite features and empty inputs")
    func badInput() throws {
        let model = try KMeansModel(centroids: Tensor.zeros([4, 3]))
        #expect(
            throws: KMeansError.shapeMismatch(
                operation: "assign", expectedDimensions: 3, shape: [5, 2])
        ) {
            try model.assign(Tensor.zeros([5, 2]))
        }
        #expect(
            throws: KMeansError.shapeMismatch(
                operation: "assign", expectedDimensions: 3, shape: [6])
        ) {
            try model.assign(Tensor.zeros([6]))
        }
        var values = [Float](repeating: 0, count: 9)
        values[7] = .nan
        #expect(throws: KMeansError.nonFiniteFeature(operation: "assign", row: 2)) {
            try model.assign(try Tensor(shape: [3, 3], scalars: values))
        }
        #expect(try model.assign(Tensor.zeros([0, 3])).isEmpty)
        #expect(throws: KMeansError.self) {
            try KMeansModel(centroids: Tensor.zeros([4, 38]), featureKind: .mfcc(.kaldi39))
        }
        let message =
            "\(KMeansError.shapeMismatch(operation: "assign", expectedDimensions: 39, shape: [120, 60]))"
        #expect(message == "[k-means] assign: expected features [N, 39], got [120, 60]")
    }

    @Test("a saved model loads back with its centroids, kind and fit report")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        var generator = SplitMix64(seed: 3)
        let report = KMeansFitReport(
            algorithm: .miniBatch(MiniBatchKMeansConfiguration(clusterCount: 5)), sampleCount: 900,
            inertia: 123.5, iterationCount: 42, stopReason: .noImprovement, seed: 7,
            sampledFraction: 0.1, source: "/data/music", checkpoint: nil,
            date: "2026-01-01T00:00:00Z")
        let model = try KMeansModel(
            centroids: Tensor.randomNormal([5, 39], using: &generator),
            featureKind: .mfcc(.kaldi39),
            fitReport: report)
        let url = directory.file("km.safetensors")
        try model.save(to: url)
        let loaded = try KMeansModel.load(from: url)
        #expect(loaded.centroids.scalars == model.centroids.scalars)
        #expect(loaded.centroids.shape == [5, 39])
        #expect(loaded.featureKind == .mfcc(.kaldi39))
        #expect(loaded.fitReport == report)
        #expect(loaded.fitReport?.meanInertia == 123.5 / 900)
        let file = try SafeTensorsFile(contentsOf: url)
        #expect(file.metadata[KMeansModel.clusterCountKey] == "5")
        #expect(file.metadata[KMeansModel.dimensionsKey] == "39")
        #expect(file.metadata[KMeansModel.featureKindKey] == "mfcc39")
        #expect(try directory.contents() == ["km.safetensors"])  // no temporary file left behind

        let layer = try KMeansModel(
            centroids: Tensor.zeros([2, 8]), featureKind: .checkpointLayer(6))
        try layer.save(to: url)
        #expect(try KMeansModel.load(from: url).featureKind == .checkpointLayer(6))
        #expect(try KMeansModel.load(from: url).fitReport == nil)
    }

    @Test("malformed model files fail with the file and the fault")
    func malformedFiles() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("bad.safetensors")
        func expectMalformed(_ fragment: String, sourceLocation: SourceLocation = #_sourceLocation)
        {
            do {
                _ = try KMeansModel.load(from: url)
                Issue.record("loaded a malformed model", sourceLocation: sourceLocation)
            } catch let error as KMeansError {
                let text = "\(error)"
                #expect(
                    text.contains(url.path) && text.contains(fragment), "\(text)",
                    sourceLocation: sourceLocation)
            } catch {
                Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            }
        }
        try Data("not a model".utf8).write(to: url)
        expectMalformed("not a readable k-means model")
        let metadata = [
            KMeansModel.clusterCountKey: "4", KMeansModel.dimensionsKey: "3",
            KMeansModel.featureKindKey: "mfcc39",
        ]
        try SafeTensorsWriter.write(["weights": Tensor.zeros([4, 3])], metadata: metadata, to: url)
        expectMalformed("no tensor named 'centroids'")
        try SafeTensorsWriter.write(
            ["centroids": Tensor.zeros([4, 3])], metadata: metadata, to: url)
        expectMalformed("invalid centroids")  // mfcc39 needs 39 columns
        var wrong = metadata
        wrong[KMeansModel.featureKindKey] = "chroma"
        try SafeTensorsWriter.write(["centroids": Tensor.zeros([4, 3])], metadata: wrong, to: url)
        expectMalformed("feature kind 'chroma'")
        wrong = metadata
        wrong[KMeansModel.clusterCountKey] = "5"
        try SafeTensorsWriter.write(["centroids": Tensor.zeros([4, 3])], metadata: wrong, to: url)
        expectMalformed("metadata says [5, 3]")
        wrong[KMeansModel.clusterCountKey] = nil
        try SafeTensorsWriter.write(["centroids": Tensor.zeros([4, 3])], metadata: wrong, to: url)
        expectMalformed("lacks 'musicssl.kmeans.clusters'")
        wrong = metadata
        wrong[KMeansModel.featureKindKey] = "features-file"
        wrong[KMeansModel.fitReportKey] = "{"
        try SafeTensorsWriter.write(["centroids": Tensor.zeros([4, 3])], metadata: wrong, to: url)
        expectMalformed("not a valid fit report")
    }

    @Test("feature kinds print and parse")
    func featureKinds() {
        for kind: ClusterFeatureKind in [
            .mfcc(.kaldi39), .mfcc(.kaldi60), .checkpointLayer(9), .featuresFile,
        ] {
            #expect(ClusterFeatureKind(kind.description) == kind)
        }
        #expect(ClusterFeatureKind("checkpoint-layer:-1") == nil)
        #expect(ClusterFeatureKind("mfcc") == nil)
    }
}
