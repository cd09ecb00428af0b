import Foundation
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// The synthetic suite's files: determinism, manifests that load as their tasks, the folder
/// layout and reruns.
@Suite("synthetic suite")
struct SyntheticSuiteTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Every task with short clips, and two short corpus files.
    static func tiny(seed: UInt64 = 0, trainItems: Int = 3) -> SyntheticSuite.Configuration {
        SyntheticSuite.Configuration(
            seed: seed, trainItems: trainItems, validItems: 1, testItems: 1,
            clipSeconds: Dictionary(
                uniqueKeysWithValues: SyntheticTaskKind.allCases.map { ($0, 1.5) }),
            corpusFiles: 2, corpusSeconds: 2)
    }

    /// Relative path → contents of every file under `root`.
    func files(under root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: root.path) {
            var isFolder: ObjCBool = false
            let url = root.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder),
                !isFolder.boolValue
            {
                files[path] = try Data(contentsOf: url)
            }
        }
        return files
    }

    @Test("the same seed gives byte-identical files; another seed changes every clip")
    func determinism() throws {
        let first = directory.file("first")
        let second = directory.file("second")
        let other = directory.file("other")
        try SyntheticSuite(configuration: Self.tiny()).write(to: first)
        try SyntheticSuite(configuration: Self.tiny()).write(to: second)
        try SyntheticSuite(configuration: Self.tiny(seed: 1)).write(to: other)
        let a = try files(under: first)
        #expect(a.count == 6 * 5 + 6 + 2 + 1)
        #expect(a == (try files(under: second)))
        let c = try files(under: other)
        #expect(Set(a.keys) == Set(c.keys))
        for (path, data) in a where path.hasSuffix(".wav") {
            #expect(c[path] != data, "\(path) did not change with the seed")
        }
    }

    @Test("every manifest loads as its task, with every split and every class in train")
    func manifests() throws {
        let summary = try SyntheticSuite(configuration: Self.tiny(trainItems: 9)).write(
            to: directory.url)
        #expect(summary.tasks.map(\.kind) == SyntheticTaskKind.allCases)
        #expect(summary.fileCount == 6 * 11 + 2)
        #expect(abs(summary.audioSeconds - (6 * 11 * 1.5 + 4)) < 1e-9)
        for entry in summary.tasks {
            let task = try CSVTask.load(manifest: entry.manifest, name: entry.kind.rawValue)
            #expect(
                entry.manifest.path
                    == directory.url.appendingPathComponent(
                        "tasks/\(entry.kind.rawValue)/manifest.csv"
                    ).path)
            for split in DataSplit.allCases {
                #expect(!task.items(in: split).isEmpty, "\(entry.kind) \(split)")
            }
            #expect(entry.trainItems == 9 && entry.validItems == 1 && entry.testItems == 1)
            switch entry.kind {
            case .beat:
                #expect(task.kind == .beatTracking && task.metric == .beatFMeasure)
            case .key:
                #expect(task.metric == .keyScore)
                #expect(
                    task.kind == .singleLabel(classes: MusicalKey.marbleClasses.map(\.description)))
            default:
                #expect(task.metric == .accuracy)
                #expect(task.kind == .singleLabel(classes: entry.classes))
                #expect(entry.classes.count == min(9, entry.kind.classes.count))
            }
            if entry.kind != .beat {
                let train = Set(task.items(in: .train).map { "\($0.label)" })
                #expect(Set(task.items.map { "\($0.label)" }).isSubset(of: train), "\(entry.kind)")
            }
        }
        let corpus = try FileManager.default.contentsOfDirectory(atPath: summary.corpus.path)
        #expect(corpus.sorted() == ["synth-00000.wav", "synth-00001.wav"])
        let description =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: summary.suiteFile)) as? [String: Any]
        #expect((description?["tasks"] as? [Any])?.count == 6)
        #expect((description?["configuration"] as? [String: Any])?["trainItems"] as? Int == 9)
    }

    @Test("a rerun with fewer items replaces the files and removes the extra audio")
    func rerun() throws {
        var configuration = Self.tiny(trainItems: 3)
        configuration.tasks = [.chord]
        configuration.corpusFiles = 3
        try SyntheticSuite(configuration: configuration).write(to: directory.url)
        configuration.trainItems = 1
        configuration.corpusFiles = 1
        let summary = try SyntheticSuite(configuration: configuration).write(to: directory.url)
        let audio = directory.url.appendingPathComponent("tasks/chord/audio")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: audio.path).sorted()
                == ["test-0000.wav", "train-0000.wav", "valid-0000.wav"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: summary.corpus.path)
                == ["synth-00000.wav"])
        let task = try CSVTask.load(manifest: summary.tasks[0].manifest, name: "chord")
        #expect(task.items.count == 3)
    }

    @Test("a configuration that cannot be generated is refused, naming the field")
    func invalid() throws {
        var configuration = Self.tiny()
        configuration.trainItems = 0
        #expect(
            throws: SyntheticSuiteError.invalidConfiguration("trainItems must be at least 1, got 0")
        ) {
            try SyntheticSuite(configuration: configuration).write(to: directory.url)
        }
        configuration = Self.tiny()
        configuration.clipSeconds[.key] = 0.5
        #expect(throws: SyntheticSuiteError.self) {
            try SyntheticSuite(configuration: configuration).write(to: directory.url)
        }
    }
}
