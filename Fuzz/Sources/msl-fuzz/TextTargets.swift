import Foundation
import MusicSSLCore
import MusicSSLProbe
import MusicSSLTrain

/// `yaml`: the input as the text of a pre-training YAML configuration.
func fuzzYAML(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    _ = try ConfigurationLoader.load(yaml: String(decoding: bytes, as: UTF8.self), source: "fuzz.yaml")
}

/// `manifest`: the whole input as a fairseq .tsv manifest (root line, then `path<TAB>samples`).
func fuzzManifest(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    let manifest = try CorpusManifest(contentsOf: Scratch.file("input.tsv", bytes))
    for entry in manifest.entries.prefix(4) { _ = manifest.url(of: entry) }
}

/// `km`: the input cut at NUL bytes into, in order, `dict.km.txt`, `train.tsv`, `train.km` and
/// `train.km.json` of one labels folder; a file whose section is missing is absent.
func fuzzClusterLabels(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    let names = [
        ClusterLabels.dictionaryFileName, ClusterLabels.manifestFileName(split: "train"),
        ClusterLabels.labelFileName(split: "train"), ClusterLabels.infoFileName(split: "train"),
    ]
    let sections = Scratch.sections(bytes)
    let folder = Scratch.directory.appendingPathComponent("km", isDirectory: true)
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (index, name) in names.enumerated() {
        let path = folder.appendingPathComponent(name)
        if index < sections.count {
            try Data(sections[index]).write(to: path)
        } else {
            unlink(path.path)
        }
    }
    let labels = try ClusterLabels(contentsOf: folder, split: "train")
    _ = labels.clips.count
}

/// `csv`: an input without a NUL byte is one CSV manifest with a `split` column; an input
/// with NULs is cut there into the train, valid and test manifests (missing ones empty).
/// Empty audio files `a.wav`, `b.wav`, `c.wav` exist beside them and in `audio/`.
func fuzzCSVTask(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    _ = csvAudioFiles
    if !bytes.contains(0) {
        _ = try CSVTask.load(manifest: Scratch.file("input.csv", bytes), name: "fuzz")
        return
    }
    var sections = Scratch.sections(bytes)
    while sections.count < 3 { sections.append([]) }
    let urls = ["train", "valid", "test"].enumerated().map { index, split in
        Scratch.file("\(split).csv", sections[index])
    }
    _ = try CSVTask.load(train: urls[0], valid: urls[1], test: urls[2], name: "fuzz")
}

/// The empty audio files the CSV seeds name, so loading gets past the existence check.
let csvAudioFiles: Void = {
    let audio = Scratch.directory.appendingPathComponent("audio", isDirectory: true)
    try? FileManager.default.createDirectory(at: audio, withIntermediateDirectories: true)
    for name in ["a.wav", "b.wav", "c.wav"] {
        _ = Scratch.file(name, [])
        _ = Scratch.file("audio/\(name)", [])
    }
}()
