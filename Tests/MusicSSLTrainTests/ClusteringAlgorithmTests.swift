import Foundation
import MusicSSLTestSupport
import Testing

@testable import MusicSSLTrain

/// k-means++, mini-batch and Lloyd k-means against known clusters and scikit-learn.
@Suite("k-means algorithms")
struct ClusteringAlgorithmTests {
    /// Eight well-separated clusters in 6 dimensions (centres ≥ 20 apart, noise σ = 1).
    static func separated(seed: UInt64) throws -> (points: Tensor, truth: [Int]) {
        try ClusteringTestData.blobs(
            centres: ClusteringTestData.gridCentres(count: 8, dimensions: 6, spacing: 20),
            pointsPerCentre: 150, scale: 1, seed: seed)
    }

    @Test("mini-batch and Lloyd k-means recover known well-separated Gaussian clusters")
    func recoversClusters() throws {
        let (points, truth) = try Self.separated(seed: 1)
        let algorithms: [KMeansAlgorithm] = [
            .miniBatch(
                MiniBatchKMeansConfiguration(
                    clusterCount: 8, batchSize: 100, initializationCount: 3)),
            .lloyd(LloydKMeansConfiguration(clusterCount: 8)),
        ]
        for algorithm in algorithms {
            var generator = SplitMix64(seed: 5)
            let result = try algorithm.fit(points, using: &generator)
            let labels = try KMeansModel(centroids: result.centroids).assign(points).map(Int.init)
            #expect(ClusteringTestData.isSamePartition(labels, truth), "\(algorithm.name)")
            // Each centroid sits near a true centre: the mean of its noisy points.
            let inertiaPerPoint =
                try KMeansModel(centroids: result.centroids).inertia(of: points) / 1200
            #expect(
                inertiaPerPoint < 6.5,
                "\(algorithm.name): \(inertiaPerPoint) (noise alone is about 6)")
        }
    }

    @Test(
        "Lloyd from given centres matches scikit-learn's KMeans(init=…, n_init=1, algorithm='lloyd')"
    )
    func lloydParity() throws {
        let fixture = try ClusteringTestData.fixture()
        let points = try fixture.tensor("lloyd.points")
        let expectedIterations = Int(try fixture.tensor("lloyd.iterations").item())
        let result = try LloydKMeans(LloydKMeansConfiguration(clusterCount: 6)).fit(
            points, initialCentroids: try fixture.tensor("lloyd.init"))
        let expected = try fixture.tensor("lloyd.centroids")
        let difference = result.centroids.maximumDifference(to: expected)
        let inertia = Double(try fixture.tensor("lloyd.inertia").item())
        print(
            "Lloyd vs scikit-learn: centroid max difference \(difference), inertia \(result.inertia) vs \(inertia), iterations \(result.iterationCount) vs \(expectedIterations)"
        )
        expectClose(result.centroids, expected, tolerance: 1e-4, "Lloyd centroids vs scikit-learn")
        #expect(abs(result.inertia - inertia) <= 1e-5 * inertia)
        #expect(result.iterationCount == expectedIterations)
        let labels = try KMeansModel(centroids: result.centroids).assign(points)
        #expect(labels.map { Float($0) } == (try fixture.tensor("lloyd.labels")).scalars)
    }

    @Test("mini-batch k-means reaches an inertia within 3 % of scikit-learn's MiniBatchKMeans")
    func miniBatchInertia() throws {
        let fixture = try ClusteringTestData.fixture()
        let points = try fixture.tensor("minibatch.points")
        let reference = try fixture.tensor("minibatch.inertia").scalars.map(Double.init)
        let referenceMean = reference.reduce(0, +) / Double(reference.count)
        let configuration = MiniBatchKMeansConfiguration(
            clusterCount: 20, batchSize: 256, initializationCount: 5)
        var ours: [Double] = []
        for seed in 0..<6 as Range<UInt64> {
            var generator = SplitMix64(seed: seed)
            let result = try MiniBatchKMeans(configuration).fit(points, using: &generator)
            ours.append(try KMeansModel(centroids: result.centroids).inertia(of: points))
        }
        let mean = ours.reduce(0, +) / Double(ours.count)
        print(
            "mini-batch inertia: ours \(mean) (\(ours.map { Int($0) })), scikit-learn \(referenceMean) (\(reference.map { Int($0) }))"
        )
        #expect(mean <= referenceMean * 1.03)
        #expect(mean >= referenceMean * 0.9)
    }

    @Test("mini-batch steps, early stop and the reported inertia follow scikit-learn's rules")
    func miniBatchBookkeeping() throws {
        let (points, _) = try Self.separated(seed: 2)
        var configuration = MiniBatchKMeansConfiguration(
            clusterCount: 8, maximumIterations: 5, batchSize: 100,
            maximumStepsWithoutImprovement: nil, initializationCount: 2)
        var generator = SplitMix64(seed: 1)
        var result = try MiniBatchKMeans(configuration).fit(points, using: &generator)
        #expect(result.iterationCount == 5 * 1200 / 100)
        #expect(result.stopReason == .iterationLimit)
        // The reported inertia estimates the whole-data inertia (smoothed batch inertia × N).
        let exact = try KMeansModel(centroids: result.centroids).inertia(of: points)
        #expect(abs(result.inertia - exact) / exact < 0.25, "\(result.inertia) vs \(exact)")

        configuration.maximumIterations = 100
        configuration.maximumStepsWithoutImprovement = 10
        generator = SplitMix64(seed: 1)
        result = try MiniBatchKMeans(configuration).fit(points, using: &generator)
        #expect(result.stopReason == .noImprovement)
        #expect(result.iterationCount < 100 * 1200 / 100)

        configuration.maximumStepsWithoutImprovement = nil
        configuration.tolerance = 1e-3
        generator = SplitMix64(seed: 1)
        result = try MiniBatchKMeans(configuration).fit(points, using: &generator)
        #expect(result.stopReason == .centreShiftWithinTolerance)
    }

    @Test("a fixed seed gives identical centroids; reassignment keeps every centre populated")
    func determinismAndReassignment() throws {
        let (points, _) = try Self.separated(seed: 3)
        let configuration = MiniBatchKMeansConfiguration(
            clusterCount: 8, maximumIterations: 10, batchSize: 64, initializationCount: 2,
            reassignmentRatio: 0.01)
        var first = SplitMix64(seed: 9), second = SplitMix64(seed: 9)
        let a = try MiniBatchKMeans(configuration).fit(points, using: &first)
        let b = try Parallelism.withThreadCount(1) {
            try MiniBatchKMeans(configuration).fit(points, using: &second)
        }
        #expect(a.centroids.scalars == b.centroids.scalars)
        let labels = try KMeansModel(centroids: a.centroids).assign(points)
        #expect(Set(labels).count == 8)
    }

    @Test(
        "k-means++ picks distinct data points; its inertia is far below random centres and matches scikit-learn's"
    )
    func kMeansPlusPlus() throws {
        let fixture = try ClusteringTestData.fixture()
        let points = try fixture.tensor("minibatch.points")
        let rows = points.scalars
        var inertias: [Double] = []
        for seed in 0..<20 as Range<UInt64> {
            var generator = SplitMix64(seed: seed)
            let seeding = try KMeansPlusPlus().centroids(of: points, count: 20, using: &generator)
            #expect(Set(seeding.indices).count == 20)
            for (row, index) in seeding.indices.enumerated() {
                #expect(
                    Array(seeding.centroids.scalars[(row * 8)..<(row * 8 + 8)])
                        == Array(rows[(index * 8)..<(index * 8 + 8)]))
            }
            inertias.append(try KMeansModel(centroids: seeding.centroids).inertia(of: points))
        }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        let ours = mean(inertias)
        let sklearn = mean(try fixture.tensor("plusplus.inertia").scalars.map(Double.init))
        let random = mean(try fixture.tensor("random.inertia").scalars.map(Double.init))
        print(
            "k-means++ mean inertia: ours \(ours), scikit-learn \(sklearn), random points \(random)"
        )
        #expect(ours < 0.75 * random)
        #expect(abs(ours - sklearn) / sklearn < 0.08)
        #expect(KMeansPlusPlus().trialCount(forClusterCount: 500) == 8)  // 2 + ⌊ln 500⌋
        #expect(KMeansPlusPlus().trialCount(forClusterCount: 1) == 2)
    }

    @Test("k-means++ prefers the far cluster: with two points far apart both are picked")
    func kMeansPlusPlusSpread() throws {
        // 50 rows at the origin and one far away: D² sampling must find the outlier.
        var values = [Float](repeating: 0, count: 51 * 2)
        values[100] = 1000
        values[101] = 1000
        let points = try Tensor(shape: [51, 2], scalars: values)
        for seed in 0..<10 as Range<UInt64> {
            var generator = SplitMix64(seed: seed)
            let seeding = try KMeansPlusPlus().centroids(of: points, count: 2, using: &generator)
            #expect(seeding.indices.contains(50))
        }
    }

    @Test(
        "configurations encode with scikit-learn's names and fairseq's defaults, and refuse bad values"
    )
    func configurations() throws {
        let configuration = MiniBatchKMeansConfiguration(clusterCount: 500)
        #expect(configuration.maximumIterations == 100 && configuration.batchSize == 10_000)
        #expect(configuration.tolerance == 0 && configuration.maximumStepsWithoutImprovement == 100)
        #expect(configuration.initializationCount == 20 && configuration.reassignmentRatio == 0)
        #expect(configuration.effectiveInitializationSize(sampleCount: 1_000_000) == 30_000)
        #expect(configuration.effectiveInitializationSize(sampleCount: 20_000) == 20_000)
        #expect(
            MiniBatchKMeansConfiguration(clusterCount: 500, batchSize: 100)
                .effectiveInitializationSize(sampleCount: 9000) == 1500)
        #expect(configuration.stepCount(sampleCount: 200_000) == 2000)
        let json = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
        #expect(json.contains("\"max_no_improvement\":100") && json.contains("\"n_init\":20"))
        #expect(
            try JSONDecoder().decode(MiniBatchKMeansConfiguration.self, from: Data(json.utf8))
                == configuration)
        let sparse = try JSONDecoder().decode(
            MiniBatchKMeansConfiguration.self,
            from: Data(#"{"n_clusters": 7, "max_no_improvement": null}"#.utf8))
        #expect(
            sparse.clusterCount == 7 && sparse.maximumStepsWithoutImprovement == nil
                && sparse.batchSize == 10_000)
        let algorithm = KMeansAlgorithm.lloyd(LloydKMeansConfiguration(clusterCount: 3))
        #expect(
            try JSONDecoder().decode(KMeansAlgorithm.self, from: JSONEncoder().encode(algorithm))
                == algorithm)

        var generator = SplitMix64(seed: 0)
        #expect(throws: KMeansError.invalidArgument("batch_size must be positive, got 0")) {
            try MiniBatchKMeans(MiniBatchKMeansConfiguration(clusterCount: 2, batchSize: 0)).fit(
                Tensor.zeros([4, 2]), using: &generator)
        }
        #expect(
            throws: KMeansError.tooFewSamples(operation: "fit", sampleCount: 3, clusterCount: 4)
        ) {
            try LloydKMeans(LloydKMeansConfiguration(clusterCount: 4)).fit(
                Tensor.zeros([3, 2]), using: &generator)
        }
    }
}
