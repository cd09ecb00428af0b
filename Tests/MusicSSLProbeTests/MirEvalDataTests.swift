import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// mir_eval's own regression data (`tests/data/{beat,key}`, MIT licence, copied into
/// `Fixtures/mir_eval` with its licence): our metrics reproduce the scores mir_eval ships.
@Suite("mir_eval's test data")
struct MirEvalDataTests {
    /// The `NN` of the ten reference/estimate pairs in each folder.
    static let indices = (0..<10).map { String(format: "%02d", $0) }

    static func text(_ path: String, _ fileExtension: String) throws -> String {
        try String(contentsOf: try fixtureURL("mir_eval/" + path, fileExtension), encoding: .utf8)
    }

    static func expected(_ path: String, _ key: String) throws -> Double {
        let data = try text(path, "json").data(using: .utf8) ?? Data()
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return try #require(object?[key] as? Double, "\(path).json has no \(key)")
    }

    static func beats(_ path: String) throws -> [Double] {
        // mir_eval.io.load_events skips lines starting with '#'.
        try text(path, "txt").split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("#") }
            .map { line in
                try #require(
                    Double(line.trimmingCharacters(in: .whitespaces)), "\(path): '\(line)'")
            }
    }

    @Test("beat F-measure with 5-s trimming equals mir_eval.beat.evaluate's on all ten pairs")
    func beatPairs() throws {
        var largest = 0.0
        for index in Self.indices {
            let track = BeatTrack(
                reference: try Self.beats("beat/ref\(index)"),
                estimated: try Self.beats("beat/est\(index)"))
            let ours = try BeatEvaluation(tracks: [track]).fMeasure
            let reference = try Self.expected("beat/output\(index)", "F-measure")
            largest = max(largest, abs(ours - reference))
            expectNear(ours, reference, tolerance: 1e-12, "beat pair \(index)")
        }
        print("mir_eval beat data: largest F-measure difference \(largest) over 10 pairs")
    }

    @Test("the MIREX weighted score equals mir_eval.key.evaluate's on all ten key files")
    func keyPairs() throws {
        for index in Self.indices {
            let reference = try MusicalKey(annotation: try Self.text("key/ref\(index)", "txt"))
            let estimate = try MusicalKey(annotation: try Self.text("key/est\(index)", "txt"))
            #expect(
                MIREXKeyScore.weighted(reference: reference, estimate: estimate)
                    == (try Self.expected("key/output\(index)", "Weighted Score")),
                "key pair \(index): \(reference) vs \(estimate)")
        }
    }
}
