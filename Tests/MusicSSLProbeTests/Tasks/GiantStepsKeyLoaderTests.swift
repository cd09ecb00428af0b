import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// GiantSteps key: the train-pool filters, the artist split with co-artists, 30-s clips.
@Suite("GiantSteps key loader")
struct GiantStepsKeyLoaderTests {
    let directory: TemporaryDirectory
    var root: URL { directory.url }
    var annotations: URL {
        root.appendingPathComponent(
            "\(TaskFixtureTree.giantStepsMTGKeyFolder)/annotations/annotations.txt")
    }

    init() throws {
        directory = try TemporaryDirectory()
        try TaskFixtureTree.write(.giantStepsKey, to: directory.url)
    }

    @Test("songs are cut into whole 30-s clips grouped by song, the partial last clip dropped")
    func clips() throws {
        let task = try GiantStepsKeyLoader.load(from: root)
        #expect(
            task.ids(in: .train) == [
                "audio/1001.LOFI.mp3#0", "audio/1001.LOFI.mp3#1", "audio/1002.LOFI.mp3#0",
            ])
        let second = task.items(in: .train)[1]
        #expect(second.region == AudioRegion(startSeconds: 30, durationSeconds: 30))
        #expect(second.group == "1001")
        #expect(task.items.allSatisfy { $0.region != nil && $0.group != nil })
    }

    @Test("keys are MARBLE classes with sharps read as flats; C = 1 and '/' rows are dropped")
    func labels() throws {
        let task = try GiantStepsKeyLoader.load(from: root)
        #expect(task.kind.outputCount == 24)
        #expect(task.metric == .keyScore)
        // D# minor → Eb minor (15), C major (0); F# minor → Gb minor (18).
        #expect(
            task.items(in: .train).map(\.label) == [
                .classIndex(15), .classIndex(15), .classIndex(0),
            ])
        #expect(
            task.items(in: .valid).map(\.label) == [
                .classIndex(7), .classIndex(18), .classIndex(9),
            ])
        #expect(task.items(in: .test).map(\.label) == [.classIndex(12), .classIndex(3)])
        #expect(!task.items.contains { $0.group == "1003" || $0.group == "1004" })
    }

    @Test("a co-artist of a valid artist makes the artist's other songs valid too")
    func coArtists() throws {
        let task = try GiantStepsKeyLoader.load(from: root)
        // Foxtrot hashes to train on its own; song 1007 is valid through 1006 "Foxtrot, Bravo".
        #expect(task.items(in: .valid).compactMap(\.group) == ["1005", "1006", "1007"])
        #expect(task.items(in: .test).compactMap(\.group) == ["2001", "2002"])
    }

    @Test("audio is also found in a repository's own audio folder")
    func repositoryAudio() throws {
        let own = root.appendingPathComponent("\(TaskFixtureTree.giantStepsKeyFolder)/audio")
        try FileManager.default.createDirectory(at: own, withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: root.appendingPathComponent("audio/2001.LOFI.mp3"),
            to: own.appendingPathComponent("2001.LOFI.mp3"))
        let task = try GiantStepsKeyLoader.load(from: root)
        #expect(
            task.ids(in: .test) == [
                "audio/2002.LOFI.mp3#0",
                "\(TaskFixtureTree.giantStepsKeyFolder)/audio/2001.LOFI.mp3#0",
            ])
    }

    @Test("a missing audio file or malformed key names the annotation line")
    func errors() throws {
        try editFixture(annotations, replacing: "G major\t2", with: "H major\t2")
        expectDataSetError(
            locationSuffix: "annotations.txt:6", problem: "'H major' is not a major or minor key"
        ) {
            _ = try GiantStepsKeyLoader.load(from: root)
        }
        try editFixture(annotations, replacing: "H major\t2", with: "G major\t2")
        try FileManager.default.removeItem(at: root.appendingPathComponent("audio/1005.LOFI.mp3"))
        expectDataSetError(
            locationSuffix: "annotations.txt:6", problem: "1005.LOFI.mp3 does not exist"
        ) {
            _ = try GiantStepsKeyLoader.load(from: root)
        }
    }

    @Test("a missing repository folder is named with the prefix it is found by")
    func missingRepository() throws {
        try FileManager.default.removeItem(
            at: root.appendingPathComponent(TaskFixtureTree.giantStepsKeyFolder))
        expectDataSetError(
            locationSuffix: root.lastPathComponent, problem: "giantsteps-key-dataset-<commit>"
        ) {
            _ = try GiantStepsKeyLoader.load(from: root)
        }
    }

    @Test("a downloaded archive beside a repository folder does not confuse the prefix search")
    func archiveBesideFolder() throws {
        try FixtureAudio.writeText(
            "zip", to: root.appendingPathComponent("\(TaskFixtureTree.giantStepsKeyFolder).zip"))
        #expect(try GiantStepsKeyLoader.load(from: root).items(in: .test).count == 2)
    }
}
