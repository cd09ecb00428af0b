import Foundation
import MusicSSLTrain
import Testing

/// Keeps Documentation/Configuration.md and the example configurations honest: the reference
/// table lists exactly the configuration's keys with the code's defaults, and every YAML file
/// under Examples/configs loads and validates.
@Suite("Configuration reference")
struct ConfigurationReferenceTests {
    static let root = URL(fileURLWithPath: #filePath)  // Tests/MusicSSLTrainTests/<file>
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One row of the reference table.
    struct Row {
        var key: String
        var hubertDefault: String
        var music2vecDefault: String
    }

    /// The rows of the `| key | type | default … |` table of Configuration.md.
    static func documentedRows() throws -> [Row] {
        let text = try String(
            contentsOf: root.appendingPathComponent("Documentation/Configuration.md"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> Row? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            // "", key, type, default musichubert, default music2vec, paper, meaning, ""
            guard cells.count >= 6, cells[1].hasPrefix("`"), cells[1].hasSuffix("`") else { return nil }
            return Row(key: unquoted(cells[1]), hubertDefault: cells[3], music2vecDefault: cells[4])
        }
    }

    static func unquoted(_ text: String) -> String {
        text.trimmingCharacters(in: CharacterSet(charactersIn: "`'\""))
    }

    /// Every key of `configuration` with its value as the run directory's `config.yaml` writes
    /// it (`section.key` → text; unset keys are `null`).
    static func keyValues(of configuration: PretrainingConfiguration) throws -> [String: String] {
        var values: [String: String] = [:]
        var section: String?
        for line in try ConfigurationLoader.yaml(for: configuration).split(separator: "\n") {
            let indented = line.hasPrefix("  ")
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
            let name = String(parts[0])
            let value = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            if indented, let section {
                values["\(section).\(name)"] = unquoted(value)
            } else if value.isEmpty {
                section = name
            } else {
                section = nil
                values[name] = unquoted(value)
            }
        }
        return values
    }

    /// Whether a documented default (`` `0.0005` ``, `unset`) is the code's value (`0.0005`, `null`).
    static func matches(documented: String, code: String) -> Bool {
        let text = unquoted(documented)
        if text == "unset" { return code == "null" }
        if let left = Double(text), let right = Double(code) { return left == right }
        return text == code
    }

    @Test("Configuration.md lists every key once, with the defaults of both objectives")
    func referenceTable() throws {
        let rows = try Self.documentedRows()
        let hubert = try Self.keyValues(of: ConfigurationLoader.load(yaml: "", source: "empty"))
        let music2vec = try Self.keyValues(of: ConfigurationLoader.load(yaml: "objective: music2vec", source: "music2vec"))
        #expect(Set(hubert.keys) == Set(music2vec.keys))

        let documented = rows.map(\.key)
        #expect(Set(documented).count == documented.count, "a key is listed twice: \(documented)")
        let missing = Set(hubert.keys).subtracting(documented).sorted()
        let stale = Set(documented).subtracting(hubert.keys).sorted()
        #expect(missing.isEmpty, "keys missing from Documentation/Configuration.md: \(missing)")
        #expect(stale.isEmpty, "Documentation/Configuration.md lists keys the configuration lacks: \(stale)")

        for row in rows {
            if let code = hubert[row.key] {
                #expect(
                    Self.matches(documented: row.hubertDefault, code: code),
                    "\(row.key): Configuration.md says \(row.hubertDefault) for musichubert, the code \(code)")
            }
            if let code = music2vec[row.key] {
                #expect(
                    Self.matches(documented: row.music2vecDefault, code: code),
                    "\(row.key): Configuration.md says \(row.music2vecDefault) for music2vec, the code \(code)")
            }
        }
    }

    /// Every `.yaml` file under Examples/configs, paper/ included.
    static func exampleFiles() -> [URL] {
        let folder = root.appendingPathComponent("Examples/configs")
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        return (walker?.allObjects as? [URL] ?? [])
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.path < $1.path }
    }

    @Test("every configuration under Examples/configs loads and validates")
    func examplesLoad() throws {
        let files = Self.exampleFiles()
        #expect(files.count >= 16, "expected the 4 examples and the 12 paper configurations, found \(files.map(\.lastPathComponent))")
        for file in files {
            #expect(throws: Never.self, "\(file.lastPathComponent)") {
                let configuration = try ConfigurationLoader.load(contentsOf: file)
                try configuration.validate()
                _ = try configuration.encoderConfiguration()
            }
        }
    }

    /// The paper's twelve pre-trainings: each file differs from its objective's baseline in
    /// exactly the keys its name promises.
    static let paperAblations: [(file: String, baseline: String, varies: [String: String])] = [
        ("musichubert-k500", "musichubert-k500", [:]),
        ("musichubert-k500-mfcc60", "musichubert-k500", ["hubert.mfcc_dimensions": "60"]),
        ("musichubert-k2000-iter1", "musichubert-k500", ["hubert.clusters": "2000"]),
        ("musichubert-k2000-iter2", "musichubert-k500", ["hubert.clusters": "2000", "hubert.iteration": "2"]),
        ("music2vec-400k-prob65-span10-target8", "music2vec-400k-prob65-span10-target8", [:]),
        ("music2vec-800k", "music2vec-400k-prob65-span10-target8", ["optimization.steps": "800000"]),
        ("music2vec-crop5s", "music2vec-400k-prob65-span10-target8",
         ["data.crop_seconds": "5.0", "optimization.accumulation_steps": "95"]),
        ("music2vec-prob50", "music2vec-400k-prob65-span10-target8", ["masking.probability": "0.5"]),
        ("music2vec-prob80", "music2vec-400k-prob65-span10-target8", ["masking.probability": "0.8"]),
        ("music2vec-span5", "music2vec-400k-prob65-span10-target8", ["masking.span_length": "5"]),
        ("music2vec-span15", "music2vec-400k-prob65-span10-target8", ["masking.span_length": "15"]),
        ("music2vec-target12", "music2vec-400k-prob65-span10-target8", ["data2vec.target_layers": "12"]),
    ]

    @Test("the paper configurations vary only what their names say")
    func paperConfigurations() throws {
        let folder = Self.root.appendingPathComponent("Examples/configs/paper")
        func values(_ name: String) throws -> [String: String] {
            try Self.keyValues(of: ConfigurationLoader.load(contentsOf: folder.appendingPathComponent("\(name).yaml")))
        }
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        #expect(Set(onDisk) == Set(Self.paperAblations.map(\.file)))
        for ablation in Self.paperAblations {
            let configuration = try values(ablation.file)
            let baseline = try values(ablation.baseline)
            let differing = configuration.keys.filter { configuration[$0] != baseline[$0] }
            #expect(Set(differing) == Set(ablation.varies.keys), "\(ablation.file) varies \(differing.sorted())")
            for (key, value) in ablation.varies {
                #expect(Self.matches(documented: value, code: configuration[key] ?? ""), "\(ablation.file): \(key)")
            }
        }
    }
}

extension ConfigurationReferenceTests {
    /// The overrides of ReproducingThePaper.md's reduced reproduction (`$SMALL`).
    static let reducedOverrides = [
        "model.architecture=tiny", "model.layers=12", "optimization.steps=3000", "optimization.warmup_steps=300",
        "optimization.accumulation_steps=1", "data2vec.ema_anneal_steps=3000", "run.log_every=50",
    ]

    @Test("the reduced reproduction's overrides validate with every paper configuration")
    func reducedReproduction() throws {
        let folder = Self.root.appendingPathComponent("Examples/configs/paper")
        let guide = try String(
            contentsOf: Self.root.appendingPathComponent("Documentation/ReproducingThePaper.md"), encoding: .utf8)
        for override in Self.reducedOverrides {
            #expect(guide.contains("--set \(override)"), "ReproducingThePaper.md no longer sets \(override)")
        }
        for ablation in Self.paperAblations {
            let configuration = try ConfigurationLoader.load(
                contentsOf: folder.appendingPathComponent("\(ablation.file).yaml"), overrides: Self.reducedOverrides)
            #expect(try configuration.encoderConfiguration().layerCount == 12)
            #expect(configuration.optimization.steps == 3000)
        }
    }
}
