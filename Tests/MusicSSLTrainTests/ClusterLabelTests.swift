import Foundation
import MusicSSLTestSupport
import Testing

@testable import MusicSSLTrain

/// fairseq's label files: written, read back, and refused with the file and line at fault.
@Suite("Cluster label files")
struct ClusterLabelTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    func sample() throws -> ClusterLabels {
        try ClusterLabels(
            split: "train", root: URL(fileURLWithPath: "/data/music"),
            clips: [
                .init(path: "rock/a.flac", sampleCount: 32_000, labels: [0, 11, 11, 3]),
                .init(path: "jazz/b.wav", sampleCount: 16_000, labels: []),
                .init(path: "c.ogg", sampleCount: 900, labels: [499, 0, 7]),
            ],
            clusterCount: 500, labelRate: 100, featureKind: .mfcc(.kaldi39),
            modelPath: "/m/km.safetensors")
    }

    func text(_ name: String) throws -> String {
        try String(contentsOf: directory.file(name), encoding: .utf8)
    }

    @Test("labels are written in fairseq's form and read back")
    func roundTrip() throws {
        let labels = try sample()
        try labels.write(to: directory.url)
        #expect(
            try directory.contents() == ["dict.km.txt", "train.km", "train.km.json", "train.tsv"])
        #expect(try text("train.km") == "0 11 11 3\n\n499 0 7\n")
        #expect(
            try text("train.tsv")
                == "/data/music\nrock/a.flac\t32000\njazz/b.wav\t16000\nc.ogg\t900\n")
        let dictionary = try text("dict.km.txt").split(separator: "\n")
        #expect(dictionary.count == 500 && dictionary.first == "0 1" && dictionary.last == "499 1")

        let read = try ClusterLabels(contentsOf: directory.url, split: "train")
        #expect(read.clips == labels.clips)
        #expect(read.root.path == "/data/music")
        #expect(read.clusterCount == 500 && read.labelRate == 100)
        #expect(read.featureKind == .mfcc(.kaldi39) && read.modelPath == "/m/km.safetensors")
        #expect(read.labels(forPath: "c.ogg") == [499, 0, 7])
        #expect(read.labels(forPath: "jazz/b.wav") == [])
        #expect(read.labels(forPath: "missing.wav") == nil)
    }

    @Test("a fairseq folder without the sidecar reads with an unknown label rate")
    func fairseqFolder() throws {
        try "/corpus\na.wav\t100\nb.wav\t200\n".write(
            to: directory.file("valid.tsv"), atomically: true, encoding: .utf8)
        try "1 2 2\n0\n".write(to: directory.file("valid.km"), atomically: true, encoding: .utf8)
        try "0 1\n1 1\n2 1\n".write(
            to: directory.file("dict.km.txt"), atomically: true, encoding: .utf8)
        let read = try ClusterLabels(contentsOf: directory.url, split: "valid")
        #expect(read.clusterCount == 3 && read.labelRate == nil && read.featureKind == nil)
        #expect(read.labels(forPath: "a.wav") == [1, 2, 2] && read.labels(forPath: "b.wav") == [0])
    }

    /// Writes the sample, replaces one file's text, and expects reading to fail naming `file`
    /// and containing `fragment`.
    func expectFailure(
        replacing file: String, with contents: String, _ fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try sample().write(to: directory.url)
        try contents.write(to: directory.file(file), atomically: true, encoding: .utf8)
        do {
            _ = try ClusterLabels(contentsOf: directory.url, split: "train")
            Issue.record("read malformed labels", sourceLocation: sourceLocation)
        } catch {
            let message = "\(error)"
            #expect(
                message.contains(directory.file(file).path), "\(message)",
                sourceLocation: sourceLocation)
            #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
        }
    }

    @Test("bad label files fail with the file, the line and the fault")
    func malformed() throws {
        try expectFailure(
            replacing: "train.km", with: "0 1\n2\n",
            "2 label lines, but the manifest \(directory.file("train.tsv").path) lists 3 clips")
        try expectFailure(
            replacing: "train.km", with: "0 1\n\n3 x7 1\n", "line 3: 'x7' is not a cluster id")
        try expectFailure(
            replacing: "train.km", with: "0 1\n\n3 -1\n", "line 3: '-1' is not a cluster id")
        try expectFailure(
            replacing: "train.km", with: "0 1\n\n2.5\n", "line 3: '2.5' is not a cluster id")
        try expectFailure(
            replacing: "train.km", with: "0 500\n\n1\n",
            "line 1: cluster id 500 is outside 0..<500 (dict.km.txt has 500 entries)")
        try expectFailure(
            replacing: "dict.km.txt", with: "0 1\n1 1\n3 1\n",
            "line 3: expected '2 <count>', found '3 1'")
        try expectFailure(replacing: "dict.km.txt", with: "", "line 1")
        try expectFailure(
            replacing: "train.km.json", with: "{\"clusters\": 20}",
            "says 20 clusters but dict.km.txt has 500")
        try expectFailure(replacing: "train.tsv", with: "/data\nno-tab-here\n", "line 2")
    }

    @Test("missing files and invalid values are refused")
    func invalid() throws {
        #expect(throws: ClusterLabelError.self) {
            try ClusterLabels(contentsOf: directory.url, split: "train")
        }
        #expect(throws: ClusterLabelError.self) {
            try ClusterLabels(
                split: "train", root: directory.url,
                clips: [.init(path: "a.wav", sampleCount: 1, labels: [4])],
                clusterCount: 4, labelRate: 100)
        }
        #expect(throws: ClusterLabelError.self) {
            try ClusterLabels(
                split: "../x", root: directory.url, clips: [], clusterCount: 4, labelRate: 100)
        }
        #expect(throws: ClusterLabelError.self) {
            try ClusterLabels(
                split: "train", root: directory.url,
                clips: [.init(path: "a\tb.wav", sampleCount: 1, labels: [])],
                clusterCount: 4, labelRate: 100)
        }
    }
}
