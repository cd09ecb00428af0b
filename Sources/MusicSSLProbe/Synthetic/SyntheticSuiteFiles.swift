import Foundation
import MusicSSLCore

/// The files of a ``SyntheticSuite`` besides audio: folders, manifests, `suite.json`, and the
/// removal of audio an earlier, larger run left behind.
enum SyntheticSuiteFiles {
    /// `suite.json`'s contents.
    struct Description: Codable {
        /// One task: its name, manifest (relative to the suite folder), clip length, counts and
        /// classes.
        struct Task: Codable {
            var name: String
            var manifest: String
            var clipSeconds: Double
            var trainItems: Int
            var validItems: Int
            var testItems: Int
            var classes: [String]
        }

        var configuration: SyntheticSuite.Configuration
        var tasks: [Task]
        /// The corpus folder relative to the suite folder.
        var corpus: String
    }

    /// Creates `folder` and its parents.
    static func createFolder(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw SyntheticSuiteError.writeFailed(path: folder.path, reason: "\(error)")
        }
    }

    /// Deletes the `.wav` files (and interrupted writes' hidden `.partial` files) in `folder`
    /// whose suite-relative path is not in `kept`.
    static func removeStaleAudio(in folder: URL, keeping kept: Set<String>, prefix: String) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasSuffix(".wav") || name.hasSuffix(".partial") {
            guard !kept.contains(prefix + "/" + name) else { continue }
            let url = folder.appendingPathComponent(name)
            do {
                try FileManager.default.removeItem(at: url)
            } catch {
                throw SyntheticSuiteError.writeFailed(
                    path: url.path, reason: "cannot remove a stale file: \(error)")
            }
        }
    }

    /// Writes `tasks/<kind>/manifest.csv`: `path,<annotation column>,split`, one row per item,
    /// paths relative to the manifest's folder.
    static func writeManifest(
        _ kind: SyntheticTaskKind, rows: [(path: String, annotation: String, split: DataSplit)],
        in directory: URL
    ) throws -> SyntheticSuite.TaskSummary {
        let folder = "tasks/\(kind.rawValue)/"
        var text = "path,\(kind.annotationColumn),split\n"
        for row in rows {
            text += "\(row.path.dropFirst(folder.count)),\(row.annotation),\(row.split.rawValue)\n"
        }
        let manifest = directory.appendingPathComponent(folder + "manifest.csv")
        try writeAtomically(text, to: manifest)
        let count = { (split: DataSplit) in rows.filter { $0.split == split }.count }
        let classes =
            kind == .key
            ? kind.classes : kind == .beat ? [] : Set(rows.map(\.annotation)).sorted()
        return SyntheticSuite.TaskSummary(
            kind: kind, manifest: manifest, trainItems: count(.train), validItems: count(.valid),
            testItems: count(.test), classes: classes)
    }

    /// Writes `suite.json`.
    static func writeDescription(
        _ configuration: SyntheticSuite.Configuration, tasks: [SyntheticSuite.TaskSummary],
        to url: URL
    ) throws {
        let description = Description(
            configuration: configuration,
            tasks: tasks.map {
                Description.Task(
                    name: $0.kind.rawValue, manifest: "tasks/\($0.kind.rawValue)/manifest.csv",
                    clipSeconds: configuration.clipSeconds(for: $0.kind),
                    trainItems: $0.trainItems, validItems: $0.validItems,
                    testItems: $0.testItems, classes: $0.classes)
            }, corpus: "corpus")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(description)
        } catch {
            throw SyntheticSuiteError.writeFailed(path: url.path, reason: "\(error)")
        }
        try writeAtomically(String(decoding: data, as: UTF8.self) + "\n", to: url)
    }

    /// Writes `text` to `url` through a temporary file renamed over it.
    static func writeAtomically(_ text: String, to url: URL) throws {
        do {
            try AtomicFile.write(to: url) { try $0.append(Array(text.utf8)) }
        } catch {
            throw SyntheticSuiteError.writeFailed(path: url.path, reason: "\(error)")
        }
    }
}
