import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// Emomusic: the artist re-split of the development songs and z-scored targets.
@Suite("Emomusic loader")
struct EmomusicLoaderTests {
    let directory: TemporaryDirectory
    var root: URL { directory.url }

    init() throws {
        directory = try TemporaryDirectory()
        try TaskFixtureTree.write(.emomusic, to: directory.url)
    }

    @Test("evaluation songs are test and development songs split by artist hash")
    func splits() throws {
        let task = try EmomusicLoader.load(from: root)
        #expect(task.kind == .regression(outputs: ["arousal", "valence"]))
        #expect(task.ids(in: .train) == ["clips_45seconds/5.mp3", "clips_45seconds/7.mp3"])
        #expect(task.ids(in: .valid) == ["clips_45seconds/2.mp3", "clips_45seconds/3.mp3"])
        #expect(task.ids(in: .test) == ["clips_45seconds/1000.mp3", "clips_45seconds/999.mp3"])
    }

    @Test("targets are z-scored with the development songs' mean and population deviation")
    func zScores() throws {
        let task = try EmomusicLoader.load(from: root)
        let values = Dictionary(
            uniqueKeysWithValues: task.items.map { item -> (String, [Double]) in
                guard case .values(let values) = item.label else { return (item.id, []) }
                return (item.id, values)
            })
        // Development arousal 3, 5, 4, 6: mean 4.5, deviation √1.25; valence 2…8: mean 5, √5.
        let song1000 = try #require(values["clips_45seconds/1000.mp3"])
        #expect(abs(song1000[0] - 2.5 / 1.25.squareRoot()) < 1e-12)
        #expect(abs(song1000[1]) < 1e-12)
        let development = task.items.filter { $0.split != .test }.compactMap { values[$0.id] }
        let meanArousal = development.map { $0[0] }.reduce(0, +) / 4
        let variance = development.map { $0[1] * $0[1] }.reduce(0, +) / 4
        #expect(abs(meanArousal) < 1e-12)
        #expect(abs(variance - 1) < 1e-12)
    }

    @Test("an annotation without a song and a song without audio name file and line")
    func errors() throws {
        let annotations = root.appendingPathComponent("static_annotations.csv")
        try editFixture(annotations, replacing: "\n7,", with: "\n8,")
        expectDataSetError(
            locationSuffix: "static_annotations.csv:5",
            problem: "song 8 has no row in songs_info.csv"
        ) {
            _ = try EmomusicLoader.load(from: root)
        }
        try editFixture(annotations, replacing: "\n8,", with: "\n7,")
        try FileManager.default.removeItem(
            at: root.appendingPathComponent("clips_45seconds/999.mp3"))
        expectDataSetError(locationSuffix: "songs_info.csv:7", problem: "999.mp3 does not exist") {
            _ = try EmomusicLoader.load(from: root)
        }
    }

    @Test("a header without the needed columns is refused on line 1")
    func header() throws {
        try editFixture(
            root.appendingPathComponent("songs_info.csv"), replacing: "Mediaeval 2013 set",
            with: "Set")
        expectDataSetError(locationSuffix: "songs_info.csv:1", problem: "Mediaeval 2013 set") {
            _ = try EmomusicLoader.load(from: root)
        }
    }
}
