import ArgumentParser
import Foundation
import MusicSSLProbe

/// `msl probe`'s options for a task of one's own from CSV manifests.
struct CSVTaskOptions: ParsableArguments {
    @Option(
        help:
            "A CSV manifest: a path column, a label (or labels, value columns, beat_times) column and a split column; or the training manifest with --valid-manifest and --test-manifest."
    )
    var manifest: String?

    @Option(help: "The validation manifest (with --manifest as the training one).")
    var validManifest: String?

    @Option(help: "The test manifest (with --manifest as the training one).")
    var testManifest: String?

    @Option(help: "Folder that relative audio paths start from (default: each manifest's folder).")
    var audioRoot: String?

    @Option(help: "The task's name in the report (default: the manifest's file name).")
    var taskName: String?

    func validate() throws {
        if (validManifest == nil) != (testManifest == nil) {
            throw ValidationError(
                "Give both --valid-manifest and --test-manifest, or neither (a split column).")
        }
        if validManifest != nil && manifest == nil {
            throw ValidationError("--valid-manifest needs --manifest (the training manifest).")
        }
    }

    /// The task these options describe.
    func task() throws -> ProbeSession.Task {
        guard let manifest else { throw ValidationError("Give --manifest CSV.") }
        let name =
            taskName ?? URL(fileURLWithPath: manifest).deletingPathExtension().lastPathComponent
        return try Self.task(
            name: name, manifest: manifest, validManifest: validManifest,
            testManifest: testManifest,
            audioRoot: audioRoot)
    }

    /// A CSV task named `name`; its features are cached under `csv-<name>`.
    static func task(
        name: String, manifest: String, validManifest: String? = nil, testManifest: String? = nil,
        audioRoot: String?
    ) throws -> ProbeSession.Task {
        let root = audioRoot.map { URL(fileURLWithPath: $0) }
        let task: ProbeTask
        if let validManifest, let testManifest {
            task = try CSVTask.load(
                train: URL(fileURLWithPath: manifest), valid: URL(fileURLWithPath: validManifest),
                test: URL(fileURLWithPath: testManifest), name: name, target: nil, audioRoot: root)
        } else {
            task = try CSVTask.load(
                manifest: URL(fileURLWithPath: manifest), name: name, target: nil, audioRoot: root)
        }
        return ProbeSession.Task(
            task: task, title: name, dataSetKey: "csv-\(ProbeSession.pathSafe(name))")
    }
}
