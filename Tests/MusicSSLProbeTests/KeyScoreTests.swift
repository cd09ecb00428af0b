import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// Key parsing, MARBLE's class order and the MIREX weighted score against mir_eval.
@Suite("MIREX key score")
struct KeyScoreTests {
    @Test(
        "the weighted score equals mir_eval's for every pair of 36 key strings (sharps, flats, X, other)"
    )
    func pairTable() throws {
        let table = try ProbeMetricFixture.load().key
        let keys = try table.keys.map { try MusicalKey(parsing: $0) }
        for (row, reference) in keys.enumerated() {
            for (column, estimate) in keys.enumerated() {
                #expect(
                    MIREXKeyScore.weighted(reference: reference, estimate: estimate)
                        == table.weighted_score[row][column],
                    "reference '\(table.keys[row])', estimate '\(table.keys[column])'")
            }
        }
    }

    @Test("strings mir_eval refuses are refused with the text in the error")
    func invalidKeys() throws {
        for text in try ProbeMetricFixture.load().key.invalid {
            do {
                _ = try MusicalKey(parsing: text)
                Issue.record("'\(text)' was accepted")
            } catch let error as MetricError {
                #expect(error.description.contains("'\(text)'"), "\(error)")
            }
        }
    }

    @Test("the fifth is asymmetric: above scores 0.5, below 0; relative 0.3, parallel 0.2")
    func relations() throws {
        func score(_ reference: String, _ estimate: String) throws -> Double {
            MIREXKeyScore.weighted(
                reference: try MusicalKey(parsing: reference),
                estimate: try MusicalKey(parsing: estimate))
        }
        #expect(try score("C major", "G major") == 0.5)
        #expect(try score("C major", "F major") == 0)
        #expect(try score("A minor", "E minor") == 0.5)
        #expect(try score("A minor", "D minor") == 0)
        #expect(try score("C major", "A minor") == 0.3)
        #expect(try score("A minor", "C major") == 0.3)
        #expect(try score("C major", "E minor") == 0)
        #expect(try score("C major", "C minor") == 0.2)
        #expect(try score("Db major", "C# major") == 1)
        #expect(try score("C major", "X") == 0)
        #expect(try score("X", "x") == 1)
    }

    @Test("MARBLE's 24 classes: C … B major then minor, flat spellings, sharps map to flats")
    func marbleClasses() throws {
        let names = MusicalKey.marbleClasses.map(\.description)
        #expect(
            names.prefix(6) == ["C major", "Db major", "D major", "Eb major", "E major", "F major"])
        #expect(names[11] == "B major" && names[12] == "C minor" && names[23] == "B minor")
        #expect(names[18] == "Gb minor")
        for (index, key) in MusicalKey.marbleClasses.enumerated() {
            #expect(key.marbleClassIndex == index)
            #expect(try MusicalKey(marbleClassIndex: index) == key)
            #expect(try MusicalKey(parsing: key.description) == key)
        }
        let sharps = ["C#": "Db", "D#": "Eb", "F#": "Gb", "G#": "Ab", "A#": "Bb"]
        for (sharp, flat) in sharps {
            for mode in ["major", "minor"] {
                #expect(
                    try MusicalKey(parsing: "\(sharp) \(mode)").marbleClassIndex
                        == MusicalKey(parsing: "\(flat) \(mode)").marbleClassIndex)
            }
        }
        #expect(MusicalKey.uncategorized.marbleClassIndex == nil)
        #expect(try MusicalKey(parsing: "C other").marbleClassIndex == nil)
        #expect(throws: MetricError.self) { try MusicalKey(marbleClassIndex: 24) }
        #expect(throws: MetricError.self) { try MusicalKey(tonic: 12, mode: .major) }
    }

    @Test("annotation files: comment lines skipped, tab-separated, exactly one key line")
    func annotations() throws {
        #expect(
            try MusicalKey(annotation: "# A comment\nC\tmajor") == MusicalKey(parsing: "C major"))
        #expect(try MusicalKey(annotation: "Eb minor") == MusicalKey(parsing: "D# minor"))
        #expect(throws: MetricError.self) { try MusicalKey(annotation: "C major\nD minor\n") }
        #expect(throws: MetricError.self) { try MusicalKey(annotation: "# only a comment\n") }
    }

    @Test("the mean weighted score averages pairs and checks their counts")
    func meanScore() throws {
        let references = try ["C major", "A minor", "G major"].map { try MusicalKey(parsing: $0) }
        let estimates = try ["G major", "C major", "G major"].map { try MusicalKey(parsing: $0) }
        expectNear(
            try MIREXKeyScore.meanWeighted(references: references, estimates: estimates),
            (0.5 + 0.3 + 1) / 3, tolerance: 1e-15, "mean")
        #expect(throws: MetricError.self) {
            try MIREXKeyScore.meanWeighted(references: references, estimates: [])
        }
    }
}
