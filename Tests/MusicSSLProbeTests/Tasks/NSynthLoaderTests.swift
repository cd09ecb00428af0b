import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// NSynth: official splits, instrument families, pitch labels with and without quirk Q5.
@Suite("NSynth loader")
struct NSynthLoaderTests {
    let directory: TemporaryDirectory
    var root: URL { directory.url }

    init() throws {
        directory = try TemporaryDirectory()
        try TaskFixtureTree.write(.nsynthInstrument, to: directory.url)
    }

    @Test("instrument labels index the 11 families in NSynth's order")
    func instrument() throws {
        let task = try NSynthLoader.loadInstrument(from: root)
        #expect(task.kind.outputCount == 11)
        #expect(
            task.ids(in: .train) == [
                "nsynth-data/nsynth-train/audio/bass_synthetic_033-050-127.wav",
                "nsynth-data/nsynth-train/audio/guitar_acoustic_010-066-100.wav",
                "nsynth-data/nsynth-train/audio/organ_electronic_001-060-075.wav",
            ])
        #expect(
            task.items(in: .train).map(\.label) == [.classIndex(0), .classIndex(3), .classIndex(6)])
        #expect(task.items(in: .test).count == 2)
    }

    @Test("pitch labels are MIDI numbers by default and pitch − 1 under MARBLE's quirk")
    func pitch() throws {
        let midi = try NSynthLoader.loadPitch(from: root)
        #expect(
            midi.items(in: .train).map(\.label) == [
                .classIndex(50), .classIndex(66), .classIndex(60),
            ])
        guard case .singleLabel(let classes) = midi.kind else { return }
        #expect(classes.count == 128 && classes[60] == "60")
        let marble = try NamedTask.nsynthPitch.load(
            from: root, options: TaskLoadingOptions(nsynthPitchLabeling: .marbleMinusOne))
        #expect(
            marble.items(in: .train).map(\.label) == [
                .classIndex(49), .classIndex(65), .classIndex(59),
            ])
        guard case .singleLabel(let marbleClasses) = marble.kind else { return }
        #expect(marbleClasses[59] == "60")
    }

    @Test("an unknown family, a malformed entry and a missing file are named")
    func errors() throws {
        let examples = root.appendingPathComponent("nsynth-data/nsynth-valid/examples.json")
        try editFixture(
            examples, replacing: #""instrument_family_str": "brass""#,
            with: #""instrument_family_str": "kazoo""#)
        expectDataSetError(
            locationSuffix: "nsynth-valid/examples.json", problem: "'kazoo' is not one of"
        ) {
            _ = try NSynthLoader.loadInstrument(from: root)
        }
        try editFixture(examples, replacing: #""pitch": 72"#, with: #""pitch": "high""#)
        expectDataSetError(
            locationSuffix: "nsynth-valid/examples.json",
            problem: "brass_acoustic_006-072-050: expected an object"
        ) {
            _ = try NSynthLoader.loadPitch(from: root)
        }
        try FileManager.default.removeItem(
            at: root.appendingPathComponent(
                "nsynth-data/nsynth-test/audio/flute_synthetic_000-084-100.wav"))
        try Data("{".utf8).write(to: examples)
        expectDataSetError(locationSuffix: "nsynth-valid/examples.json", problem: "not valid JSON")
        {
            _ = try NSynthLoader.loadPitch(from: root)
        }
    }
}
