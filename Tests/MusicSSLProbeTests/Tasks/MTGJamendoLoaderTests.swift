import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// MTG-Jamendo: split files, class order (quirk Q6), audio-low paths.
@Suite("MTG-Jamendo loader")
struct MTGJamendoLoaderTests {
    let directory: TemporaryDirectory
    var root: URL { directory.url }
    var splitFolder: URL { root.appendingPathComponent("mtg-jamendo-dataset/data/splits/split-0") }

    init() throws {
        directory = try TemporaryDirectory()
        try TaskFixtureTree.write(.mtgGenre, to: directory.url)
    }

    @Test("tags are ordered by first appearance train → validation → test by default")
    func firstAppearance() throws {
        let task = try MTGJamendoLoader.load(.mtgGenre, from: root)
        #expect(
            task.kind
                == .multiLabel(tags: [
                    "genre---rock", "genre---electronic", "genre---ambient", "genre---pop",
                    "genre---jazz",
                ]))
        #expect(task.ids(in: .train) == ["audio-low/03/1203.low.mp3", "audio-low/48/948.low.mp3"])
        #expect(task.items(in: .train).map(\.label) == [.tags([2]), .tags([0, 1])])
        #expect(task.items(in: .test).count == 2)
    }

    @Test("sorted order is an option")
    func sortedOrder() throws {
        let task = try NamedTask.mtgMoodTheme.load(
            from: root, options: TaskLoadingOptions(mtgClassOrder: .sorted))
        #expect(
            task.kind
                == .multiLabel(tags: [
                    "mood/theme---ambient", "mood/theme---electronic", "mood/theme---jazz",
                    "mood/theme---pop",
                    "mood/theme---rock",
                ]))
        #expect(task.items(in: .train).map(\.label) == [.tags([0]), .tags([1, 4])])
    }

    @Test("full-quality audio/ is read when there is no audio-low/")
    func fullQuality() throws {
        let low = root.appendingPathComponent("audio-low")
        let full = root.appendingPathComponent("audio")
        for directory in ["03", "48", "07", "01", "12", "20"] {
            try FileManager.default.createDirectory(
                at: full.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        for (directory, id) in [
            ("48", 948), ("03", 1203), ("07", 3307), ("01", 4401), ("12", 5512), ("20", 6620),
        ] {
            try FileManager.default.moveItem(
                at: low.appendingPathComponent("\(directory)/\(id).low.mp3"),
                to: full.appendingPathComponent("\(directory)/\(id).mp3"))
        }
        try FileManager.default.removeItem(at: low)
        let task = try MTGJamendoLoader.load(.mtgTop50, from: root)
        #expect(task.ids(in: .train) == ["audio/03/1203.mp3", "audio/48/948.mp3"])
    }

    @Test("another split number reads its own folder and names it when missing")
    func splitNumber() throws {
        expectDataSetError(locationSuffix: "data/splits/split-3", problem: "split 3") {
            _ = try MTGJamendoLoader.load(
                .mtgGenre, from: root, options: TaskLoadingOptions(mtgSplitNumber: 3))
        }
    }

    @Test("a row without tags and a missing audio file name the file and line")
    func errors() throws {
        let validation = splitFolder.appendingPathComponent("autotagging_instrument-validation.tsv")
        try editFixture(
            validation, replacing: "4401.mp3\t212.7\tinstrument---rock", with: "4401.mp3\t212.7")
        expectDataSetError(
            locationSuffix: "autotagging_instrument-validation.tsv:3", problem: "at least one tag"
        ) {
            _ = try MTGJamendoLoader.load(.mtgInstrument, from: root)
        }
        try FileManager.default.removeItem(
            at: root.appendingPathComponent("audio-low/20/6620.low.mp3"))
        expectDataSetError(
            locationSuffix: "autotagging_genre-test.tsv:3", problem: "6620.low.mp3 does not exist"
        ) {
            _ = try MTGJamendoLoader.load(.mtgGenre, from: root)
        }
    }

    @Test("a task outside MTG-Jamendo is refused")
    func wrongTask() {
        expectDataSetError(
            locationSuffix: root.lastPathComponent, problem: "not an MTG-Jamendo task"
        ) {
            _ = try MTGJamendoLoader.load(.emomusic, from: root)
        }
    }
}
