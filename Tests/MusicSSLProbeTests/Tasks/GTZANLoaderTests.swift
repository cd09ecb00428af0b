import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// GTZAN genre and GTZAN-Rhythm: MARBLE's fault-filtered lists, quirk Q12, JAMS beats.
@Suite("GTZAN loader")
struct GTZANLoaderTests {
    let directory: TemporaryDirectory
    var root: URL { directory.file("GTZAN") }

    init() throws {
        directory = try TemporaryDirectory()
        try TaskFixtureTree.write(.gtzanGenre, to: directory.file("GTZAN"))
    }

    @Test("splits follow the filtered lists and labels follow the genre folder")
    func genreSplits() throws {
        let task = try GTZANLoader.loadGenre(from: root)
        #expect(task.kind == .singleLabel(classes: GTZANLoader.genres))
        #expect(
            task.ids(in: .train) == [
                "genres/blues/blues.00000.wav", "genres/classical/classical.00000.wav",
            ])
        #expect(task.ids(in: .valid).count == 2)
        #expect(
            task.ids(in: .test) == ["genres/blues/blues.00002.wav", "genres/disco/disco.00002.wav"])
        #expect(task.items(in: .test).map(\.label) == [.classIndex(0), .classIndex(3)])
        #expect(task.items.allSatisfy { $0.region == nil && $0.group == nil })
    }

    @Test("quirk Q12 drops jazz.00054 from train by default and keeps it when asked")
    func corruptJazz() throws {
        let kept = try GTZANLoader.loadGenre(
            from: root, options: TaskLoadingOptions(excludesGTZANJazz00054: false))
        #expect(kept.ids(in: .train).contains("genres/jazz/jazz.00054.wav"))
        #expect(kept.items(in: .train).count == 3)
        #expect(try GTZANLoader.loadGenre(from: root).items(in: .train).count == 2)
    }

    @Test("the Kaggle layout Data/genres_original is read too")
    func kaggleLayout() throws {
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("Data"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: root.appendingPathComponent("genres"),
            to: root.appendingPathComponent("Data/genres_original"))
        let task = try GTZANLoader.loadGenre(from: root)
        #expect(task.items[0].id.hasPrefix("Data/genres_original/"))
    }

    @Test("beat labels are the JAMS beat annotation, not the downbeats, sorted")
    func rhythmBeats() throws {
        let task = try GTZANLoader.loadRhythm(from: root)
        #expect(task.kind == .beatTracking)
        #expect(task.metric == .beatFMeasure)
        #expect(task.items.count == 6)
        #expect(task.items.allSatisfy { $0.label == .beats([0.25, 0.75, 1.25]) })
    }

    @Test("a listed file without audio names the list and line")
    func missingAudio() throws {
        try FileManager.default.removeItem(
            at: root.appendingPathComponent("genres/disco/disco.00002.wav"))
        expectDataSetError(
            locationSuffix: "test_filtered.txt:2", problem: "disco.00002.wav does not exist"
        ) {
            _ = try GTZANLoader.loadGenre(from: root)
        }
    }

    @Test("a listed path outside the ten genres or climbing out is refused with its line")
    func malformedList() throws {
        let list = root.appendingPathComponent("valid_filtered.txt")
        try editFixture(
            list, replacing: "classical/classical.00001.wav", with: "folk/folk.00001.wav")
        expectDataSetError(locationSuffix: "valid_filtered.txt:2", problem: "genres") {
            _ = try GTZANLoader.loadGenre(from: root)
        }
        try editFixture(list, replacing: "folk/folk.00001.wav", with: "../blues/blues.00001.wav")
        expectDataSetError(locationSuffix: "valid_filtered.txt:2", problem: "not a relative path") {
            _ = try GTZANLoader.loadGenre(from: root)
        }
    }

    @Test("a missing or beat-less JAMS file is named")
    func badJAMS() throws {
        let jams = root.appendingPathComponent(
            "GTZAN-Rhythm_v2_ismir2015_lbd/jams/blues.00001.wav.jams")
        try editFixture(
            jams, replacing: #""annotation_type": "beat""#, with: #""annotation_type": "tatum""#)
        expectDataSetError(
            locationSuffix: "blues.00001.wav.jams", problem: "no annotation in namespace 'beat'"
        ) {
            _ = try GTZANLoader.loadRhythm(from: root)
        }
        try FileManager.default.removeItem(at: jams)
        expectDataSetError(locationSuffix: "blues.00001.wav.jams", problem: "missing") {
            _ = try GTZANLoader.loadRhythm(from: root)
        }
    }

    @Test("a missing split list is named with what it should hold")
    func missingList() throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent("train_filtered.txt"))
        expectDataSetError(locationSuffix: "GTZAN/train_filtered.txt", problem: "missing, expected")
        {
            _ = try NamedTask.gtzanGenre.load(from: root)
        }
    }

    @Test("the original tarball's .au file is taken when the listed .wav is absent")
    func auFallback() throws {
        let wav = root.appendingPathComponent("genres/blues/blues.00001.wav")
        try FileManager.default.moveItem(
            at: wav, to: wav.deletingPathExtension().appendingPathExtension("au"))
        let task = try GTZANLoader.loadRhythm(from: root)
        #expect(task.ids(in: .valid).first == "genres/blues/blues.00001.au")
        #expect(task.items(in: .valid).first?.label == .beats([0.25, 0.75, 1.25]))
    }
}
