import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// CSV manifests for users' own tasks: each target, inference, the split column or three files.
@Suite("CSV task")
struct CSVTaskTests {
    let directory: TemporaryDirectory
    var root: URL { directory.url }

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test(
        "single labels: classes sorted by name, quoted paths with commas, validation and TEST splits"
    )
    func singleLabel() throws {
        let manifest = try TaskFixtureTree.writeCSV(.label, to: root)
        let task = try CSVTask.load(manifest: manifest, name: "mood")
        #expect(task.name == "mood")
        #expect(task.kind == .singleLabel(classes: ["happy", "sad"]))
        #expect(task.metric == .accuracy)
        #expect(task.schedule == .standard)
        #expect(task.ids(in: .train) == ["audio/a.wav", "audio/b, take 2.wav"])
        #expect(task.items(in: .train).map(\.label) == [.classIndex(1), .classIndex(0)])
        #expect(task.ids(in: .valid) == ["audio/c.wav", "audio/d.wav"])
        #expect(task.ids(in: .test) == ["audio/e.wav", "audio/f.wav"])
    }

    @Test("multi-label tags are split on ';', trimmed and sorted; a row may have none")
    func multiLabel() throws {
        let task = try CSVTask.load(
            manifest: TaskFixtureTree.writeCSV(.labels, to: root), name: "t")
        #expect(task.kind == .multiLabel(tags: ["bass", "drums"]))
        #expect(task.metric == .multilabelRanking)
        #expect(
            task.items.map(\.label) == [
                .tags([0, 1]), .tags([0]), .tags([]), .tags([1]), .tags([0, 1]), .tags([1]),
            ])
    }

    @Test("numeric columns are inferred as regression outputs in header order")
    func regression() throws {
        let task = try CSVTask.load(
            manifest: TaskFixtureTree.writeCSV(.values(["arousal", "valence"]), to: root), name: "r"
        )
        #expect(task.kind == .regression(outputs: ["arousal", "valence"]))
        #expect(task.metric == .r2)
        #expect(task.items[1].label == .values([1, 1.5]))
        let one = try CSVTask.load(
            manifest: root.appendingPathComponent("manifest.csv"), name: "r",
            target: .values(["valence"]))
        #expect(one.kind == .regression(outputs: ["valence"]))
    }

    @Test("beat times are space-separated seconds, sorted")
    func beats() throws {
        let task = try CSVTask.load(
            manifest: TaskFixtureTree.writeCSV(.beatTimes, to: root), name: "b")
        #expect(task.kind == .beatTracking)
        #expect(task.metric == .beatFMeasure)
        #expect(task.items[0].label == .beats([0.25, 0.5, 0.75]))
        #expect(task.items[1].label == .beats([0.25, 0.5]))
    }

    @Test("keys are MARBLE's 24 classes, sharps read as flats, scored by the key score")
    func keys() throws {
        let task = try CSVTask.load(manifest: TaskFixtureTree.writeCSV(.key, to: root), name: "k")
        #expect(task.kind == .singleLabel(classes: MusicalKey.marbleClasses.map(\.description)))
        #expect(task.metric == .keyScore)
        #expect(
            task.items.map(\.label) == [
                .classIndex(0), .classIndex(18), .classIndex(10), .classIndex(21),
                .classIndex(18), .classIndex(3),
            ])
        #expect(task.items.allSatisfy { $0.group == nil })
    }

    @Test("a key that is not a major or minor key is refused with the file and line")
    func badKeys() throws {
        try TaskFixtureTree.writeCSV(.key, to: root)
        let bad = root.appendingPathComponent("bad.csv")
        for key in ["H major", "C dorian", "X", "C other", ""] {
            try FixtureAudio.writeText(
                "path,key,split\naudio/a.wav,C major,train\naudio/c.wav,\(key),valid\n", to: bad)
            expectDataSetError(locationSuffix: "bad.csv:3", problem: "not a major or minor key") {
                _ = try CSVTask.load(manifest: bad, name: "bad")
            }
        }
    }

    @Test("three manifests give the splits; paths can be relative to an audio root")
    func threeFiles() throws {
        try TaskFixtureTree.writeCSV(.label, to: root)
        let lists = root.appendingPathComponent("lists")
        let rows = [
            ("train", "a.wav,sad\r\n\"b, take 2.wav\",happy"),
            ("valid", "c.wav,happy\r\nd.wav,sad"),
            ("test", "e.wav,sad\r\nf.wav,happy"),
        ]
        for (name, body) in rows {
            try FixtureAudio.writeText(
                "path,label\r\n\(body)\r\n", to: lists.appendingPathComponent("\(name).csv"))
        }
        let task = try CSVTask.load(
            train: lists.appendingPathComponent("train.csv"),
            valid: lists.appendingPathComponent("valid.csv"),
            test: lists.appendingPathComponent("test.csv"), name: "mood",
            audioRoot: root.appendingPathComponent("audio"))
        #expect(task.ids(in: .train) == ["a.wav", "b, take 2.wav"])
        #expect(task.items(in: .test).map(\.label) == [.classIndex(1), .classIndex(0)])
    }

    @Test("doubled quotes, quoted line breaks and a byte-order mark are read")
    func quoting() throws {
        try TaskFixtureTree.writeCSV(.label, to: root)
        let manifest = root.appendingPathComponent("quoted.csv")
        try FixtureAudio.writeText(
            "\u{FEFF}path,label,split\n\"audio/a.wav\",\"say \"\"hi\"\"\",train\n"
                + "audio/c.wav,\"two\nlines\",valid\naudio/e.wav,x,test\n",
            to: manifest)
        let task = try CSVTask.load(manifest: manifest, name: "q")
        #expect(task.kind == .singleLabel(classes: ["say \"hi\"", "two\nlines", "x"]))
    }

    @Test("malformed manifests are refused with the file and line")
    func errors() throws {
        let manifest = try TaskFixtureTree.writeCSV(.label, to: root)
        let bad = root.appendingPathComponent("bad.csv")
        let cases: [(String, String, String)] = [
            (
                "path,label,split\naudio/a.wav,sad,train\naudio/c.wav,\"sad,valid\n", "bad.csv:3",
                "never closed"
            ),
            ("path,label,split\naudio/a.wav,sad,dev\n", "bad.csv:2", "split 'dev'"),
            ("path,label,split\naudio/a.wav,sad\n", "bad.csv:2", "expected 3 fields"),
            ("path,label,split\n../x.wav,sad,train\n", "bad.csv:2", "not a relative path"),
            ("path,label,split\naudio/missing.wav,sad,train\n", "bad.csv:2", "does not exist"),
            ("path,label\naudio/a.wav,sad\n", "bad.csv:1", "'split' column"),
            ("path,split,comment\naudio/a.wav,train,nice\n", "bad.csv:1", "cannot tell the target"),
            ("path,\"x\"y,split\n", "bad.csv:1", "closing quote"),
        ]
        for (text, location, problem) in cases {
            try FixtureAudio.writeText(text, to: bad)
            expectDataSetError(locationSuffix: location, problem: problem) {
                _ = try CSVTask.load(manifest: bad, name: "bad")
            }
        }
        expectDataSetError(
            locationSuffix: "manifest.csv:1", problem: "missing the column(s) labels"
        ) {
            _ = try CSVTask.load(manifest: manifest, name: "m", target: .labels)
        }
        expectDataSetError(
            locationSuffix: "manifest.csv:1", problem: "at least one numeric column"
        ) {
            _ = try CSVTask.load(manifest: manifest, name: "m", target: .values([]))
        }
    }
}
