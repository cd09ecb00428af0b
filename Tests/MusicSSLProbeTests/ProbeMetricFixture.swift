import Foundation
import MusicSSLProbe
import Testing

/// `Fixtures/probe_metrics.json`, written by `Tests/FixtureGenerators/probe_metrics.py` from
/// torchmetrics, scikit-learn and mir_eval (versions in ``versions``).
struct ProbeMetricFixture: Decodable {
    struct AccuracyCase: Decodable {
        let name: String
        let logits: [[Double]]
        let labels: [Int]
        let accuracy: Double
        let correct: Int
        let torchmetrics: Double
    }

    struct RankingCase: Decodable {
        struct Torchmetrics: Decodable {
            let auroc: [Double]
            let ap: [Double]
            let macro_auroc: Double
            let macro_ap: Double
        }
        struct ScikitLearn: Decodable {
            let auroc: [Double?]
            let ap: [Double?]
        }
        struct Skip: Decodable {
            let macro_auroc: Double
            let macro_ap: Double
            let skipped: [Int]
        }
        let name: String
        let scores: [[Double]]
        let targets: [[Int]]
        let torchmetrics: Torchmetrics
        let sklearn: ScikitLearn
        let skip_degenerate: Skip?
    }

    struct R2Case: Decodable {
        struct Reference: Decodable {
            let raw: [Double]
            let uniform: Double
        }
        let name: String
        let predictions: [[Double]]
        let targets: [[Double]]
        let torchmetrics: Reference
        let sklearn: Reference
    }

    struct KeyTable: Decodable {
        let keys: [String]
        let weighted_score: [[Double]]
        let invalid: [String]
    }

    struct FusionCase: Decodable {
        struct Score: Decodable {
            let accuracy: Double
            let weighted: Double
        }
        let name: String
        let clip_logits: [[Double]]
        let clip_labels: [Int]
        let song_ids: [String]
        let songs: [String]
        let song_labels: [Int]
        let predictions: [String: [Int]]
        let scores: [String: Score]
        let best_strategy: String
    }

    struct BeatCase: Decodable {
        let name: String
        let reference: [Double]
        let estimated: [Double]
        let matches: Int
        let f_measure: Double
        let trimmed_matches: Int
        let trimmed_f_measure: Double
    }

    struct BeatSet: Decodable {
        struct Track: Decodable {
            let reference: [Double]
            let estimated: [Double]
        }
        let name: String
        let tracks: [Track]
        let mir_eval_mean_f: Double
        let marble_pooled_f: Double
        let pooled_counts: [Int]
    }

    let versions: [String: String]
    let accuracy: [AccuracyCase]
    let ranking: [RankingCase]
    let r2: [R2Case]
    let key: KeyTable
    let fusion: [FusionCase]
    let beat: [BeatCase]
    let beat_sets: [BeatSet]

    /// Decoded once for every suite.
    static let shared: Result<ProbeMetricFixture, Error> = Result {
        let url = try fixtureURL("probe_metrics", "json")
        return try JSONDecoder().decode(ProbeMetricFixture.self, from: Data(contentsOf: url))
    }

    static func load() throws -> ProbeMetricFixture { try shared.get() }
}

/// The URL of `Fixtures/<path>.<fileExtension>` in this target's bundle.
func fixtureURL(_ path: String, _ fileExtension: String) throws -> URL {
    var components = path.split(separator: "/").map(String.init)
    let name = components.popLast() ?? path
    let subdirectory = (["Fixtures"] + components).joined(separator: "/")
    guard
        let url = Bundle.module.url(
            forResource: name, withExtension: fileExtension, subdirectory: subdirectory)
    else {
        throw FixtureMissing(path: "\(subdirectory)/\(name).\(fileExtension)")
    }
    return url
}

/// A fixture file absent from the test bundle.
struct FixtureMissing: Error, CustomStringConvertible {
    let path: String
    var description: String {
        "\(path) is not in the test bundle; run Tests/FixtureGenerators/probe_metrics.py"
    }
}

/// Expects `actual` within `tolerance` of `expected`, naming what is compared.
func expectNear(
    _ actual: Double, _ expected: Double, tolerance: Double = 1e-6, _ comment: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        abs(actual - expected) <= tolerance,
        "\(comment): \(actual) vs reference \(expected) (difference \(abs(actual - expected)))",
        sourceLocation: sourceLocation)
}

/// Compares values against a reference with ``expectNear(_:_:tolerance:_:sourceLocation:)`` and
/// remembers the largest difference, which ``report()`` prints (the figure quoted in
/// Documentation/Probing.md).
struct LargestDifference {
    /// What is compared with what, e.g. `"ROC-AUC vs torchmetrics"`.
    let comparison: String
    /// The largest absolute difference seen so far.
    private(set) var value = 0.0
    /// Values compared so far.
    private(set) var count = 0

    init(_ comparison: String) { self.comparison = comparison }

    mutating func check(
        _ actual: Double, _ expected: Double, tolerance: Double, _ comment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        value = max(value, abs(actual - expected))
        count += 1
        expectNear(
            actual, expected, tolerance: tolerance, comment, sourceLocation: sourceLocation)
    }

    func report() {
        print("\(comparison): largest difference \(value) over \(count) values")
    }
}
