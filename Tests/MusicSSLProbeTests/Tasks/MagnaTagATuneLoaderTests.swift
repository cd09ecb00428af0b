import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// MagnaTagATune: top-k tags over all rows, the hex-folder split, the quoted TSV.
@Suite("MagnaTagATune loader")
struct MagnaTagATuneLoaderTests {
    let directory: TemporaryDirectory
    var root: URL { directory.url }
    var csv: URL { root.appendingPathComponent("annotations_final.csv") }

    init() throws {
        directory = try TemporaryDirectory()
        try TaskFixtureTree.write(.magnaTagATune, to: directory.url)
    }

    @Test("tags are ranked by count over all rows and the split follows the hex folder")
    func tagsAndSplits() throws {
        let task = try MagnaTagATuneLoader.load(from: root)
        #expect(task.kind == .multiLabel(tags: ["guitar", "classical", "slow"]))
        #expect(task.items(in: .train).count == 2)
        #expect(task.ids(in: .valid).allSatisfy { $0.hasPrefix("mp3/c/") })
        #expect(task.ids(in: .test).map { $0.prefix(6) } == ["mp3/d/", "mp3/f/"])
        let valid = task.items(in: .valid).map(\.label)
        #expect(valid == [.tags([0, 1]), .tags([0])])
        // Clip 2 (guitar, slow); ids sort "…-146-175" before "…-30-59".
        #expect(task.items(in: .train).map(\.label) == [.tags([1]), .tags([0, 2])])
    }

    @Test("the tag count option keeps the most frequent tags only")
    func topK() throws {
        let task = try MagnaTagATuneLoader.load(
            from: root, options: TaskLoadingOptions(magnaTagATuneTagCount: 2))
        #expect(task.kind == .multiLabel(tags: ["guitar", "classical"]))
        #expect(task.items(in: .train).map(\.label) == [.tags([1]), .tags([0])])
    }

    @Test(
        "the corrupt clips are left out by default and kept when asked; they still count for the tags"
    )
    func corruptClips() throws {
        let kept = try MagnaTagATuneLoader.load(
            from: root, options: TaskLoadingOptions(excludesCorruptMagnaTagATuneClips: false))
        #expect(kept.items(in: .train).count == 3)
        #expect(kept.ids(in: .train).contains("mp3/1/broken-clip-30-59.mp3"))
    }

    @Test("unquoted fields read the same as quoted ones")
    func unquoted() throws {
        let text = try String(contentsOf: csv, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"", with: "").utf8).write(to: csv)
        let task = try MagnaTagATuneLoader.load(from: root)
        #expect(task.kind == .multiLabel(tags: ["guitar", "classical", "slow"]))
        #expect(task.items.count == 6)
        #expect(task.items(in: .valid).map(\.label) == [.tags([0, 1]), .tags([0])])
    }

    @Test("a bad tag value, a short row and a bad folder name the line")
    func malformedRows() throws {
        try editFixture(csv, replacing: "\"11\"\t\"1\"", with: "\"11\"\t\"yes\"")
        expectDataSetError(
            locationSuffix: "annotations_final.csv:6", problem: "'yes' is not 0 or 1"
        ) {
            _ = try MagnaTagATuneLoader.load(from: root)
        }
        try editFixture(csv, replacing: "\"11\"\t\"yes\"", with: "\"11\"")
        expectDataSetError(
            locationSuffix: "annotations_final.csv:6", problem: "expected 5 tab-separated fields"
        ) {
            _ = try MagnaTagATuneLoader.load(from: root)
        }
    }

    @Test("a row whose audio is missing names the table and line")
    func missingAudio() throws {
        try FileManager.default.removeItem(
            at: root.appendingPathComponent("mp3/f/tilopa-out_of_the_blue-09-sho-88-117.mp3"))
        expectDataSetError(locationSuffix: "annotations_final.csv:8", problem: "does not exist") {
            _ = try MagnaTagATuneLoader.load(from: root)
        }
    }
}
