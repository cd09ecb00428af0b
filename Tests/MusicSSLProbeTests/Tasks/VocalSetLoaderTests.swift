import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// VocalSet: MARBLE's preprocessed lists, and the raw tree with the deterministic stand-in split.
@Suite("VocalSet loader")
struct VocalSetLoaderTests {
    let directory: TemporaryDirectory
    var root: URL { directory.url }

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test("MARBLE's lists give the split; labels are the technique folder or the singer prefix")
    func lists() throws {
        try TaskFixtureTree.write(.vocalSetTechnique, to: root)
        let technique = try VocalSetLoader.load(.technique, from: root)
        #expect(technique.kind == .singleLabel(classes: VocalSetLoader.techniques))
        #expect(
            technique.ids(in: .test) == [
                "audio/trill/m3_arpeggios_trill_a_00.wav",
                "audio/vibrato/f2_long_tones_vibrato_e_00.wav",
            ])
        #expect(technique.items(in: .test).map(\.label) == [.classIndex(6), .classIndex(8)])
        #expect(technique.items(in: .valid).map(\.label) == [.classIndex(3), .classIndex(9)])
        let singer = try NamedTask.vocalSetSinger.load(from: root)
        #expect(singer.kind.outputCount == 20)
        // lip_trill/f1_… and vocal_fry/m1_…: f1 is class 0, m1 class 9.
        #expect(singer.items(in: .test).map(\.label) == [.classIndex(0), .classIndex(9)])
    }

    @Test("a listed file outside the classes is refused with its line")
    func badListLine() throws {
        try TaskFixtureTree.write(.vocalSetTechnique, to: root)
        try editFixture(
            root.appendingPathComponent("valid_t.txt"), replacing: "lip_trill/", with: "messa/")
        expectDataSetError(locationSuffix: "valid_t.txt:1", problem: "technique among") {
            _ = try VocalSetLoader.load(.technique, from: root)
        }
    }

    @Test("the raw tree is cut into 3-s regions and split by file, technique test singers held out")
    func rawTechnique() throws {
        try TaskFixtureTree.writeRawVocalSet(to: root)
        let task = try VocalSetLoader.load(.technique, from: root)
        // 20 belt/breathy files × 2 regions; f2, m3, m5 are test; the 8 others split 4 / 4.
        #expect(task.items(in: .test).count == 24)
        #expect(task.items(in: .valid).count == 8)
        #expect(task.items(in: .train).count == 8)
        #expect(
            task.items(in: .test).allSatisfy {
                ["f2", "m3", "m5"].contains($0.id.split(separator: "/")[1])
            })
        #expect(!task.items.contains { $0.id.contains("fast_forte") })
        let second = try #require(task.items.first { $0.id.hasSuffix("#1") })
        #expect(second.region == AudioRegion(startSeconds: 3, durationSeconds: 3))
        var splitOfFile: [Substring: DataSplit] = [:]
        for item in task.items {
            let file = item.id.split(separator: "#")[0]
            #expect(splitOfFile[file, default: item.split] == item.split)
            splitOfFile[file] = item.split
        }
    }

    @Test("the raw singer split takes ⌈20 %⌉ of files as test and ⌈40 %⌉ of the rest as valid")
    func rawSinger() throws {
        try TaskFixtureTree.writeRawVocalSet(to: root)
        let task = try VocalSetLoader.load(.singer, from: root)
        // 30 files (fast_forte included): 6 test, 10 valid, 14 train, two regions each.
        #expect(task.items(in: .test).count == 12)
        #expect(task.items(in: .valid).count == 20)
        #expect(task.items(in: .train).count == 28)
        #expect(try VocalSetLoader.load(.singer, from: root) == task)
    }

    @Test("neither layout is reported with both expectations")
    func noLayout() throws {
        expectDataSetError(locationSuffix: root.lastPathComponent, problem: "FULL/<singer>") {
            _ = try VocalSetLoader.load(.singer, from: root)
        }
    }
}
