import Foundation
import MusicSSLCore

/// A folder of finished sweep runs, one JSON file per (learning rate, layer, seed), written
/// atomically (temporary file, then rename) so an interrupted sweep leaves only complete runs.
///
/// A file holds `{"fingerprint": "…", "result": {…}}`; ``load(learningRate:layer:seed:fingerprint:)``
/// returns the result only when the fingerprint matches, so a run trained on other features,
/// another task or under other settings is trained again and overwritten.
public struct ProbeRunStore {
    /// The folder.
    public let directory: URL

    // A diverged run scores NaN; JSON has no NaN, so it is spelled out.
    private static let nonFinite = JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    private static let nonFiniteEncoding = JSONEncoder.NonConformingFloatEncodingStrategy
        .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    private struct Record: Codable {
        var fingerprint: String
        var result: ProbeRunResult
    }

    /// A store in `directory`, created when missing.
    ///
    /// - Throws: ``ProbeError/runStore(file:reason:)`` when the folder cannot be created.
    public init(directory: URL) throws {
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true)
        } catch {
            throw ProbeError.runStore(file: directory.path, reason: "cannot create: \(error)")
        }
        self.directory = directory
    }

    /// The file of one run, e.g. `lr=0.001_layer=all_seed=1234.json`.
    public func url(learningRate: Double, layer: LayerSelection, seed: UInt64) -> URL {
        directory.appendingPathComponent("lr=\(learningRate)_layer=\(layer)_seed=\(seed).json")
    }

    /// The stored result of a run, or nil when there is none or its fingerprint differs.
    ///
    /// - Throws: ``ProbeError/runStore(file:reason:)`` when a file exists but cannot be decoded.
    public func load(
        learningRate: Double, layer: LayerSelection, seed: UInt64,
        fingerprint: ProbeRunFingerprint
    ) throws -> ProbeRunResult? {
        let file = url(learningRate: learningRate, layer: layer, seed: seed)
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        let record: Record
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = Self.nonFinite
            record = try decoder.decode(Record.self, from: data)
        } catch {
            throw ProbeError.runStore(file: file.path, reason: "not a probe run record (delete it to train this run again): \(error)")
        }
        guard record.fingerprint == fingerprint.value, record.result.learningRate == learningRate,
            record.result.layer == layer, record.result.seed == seed
        else { return nil }
        return record.result
    }

    /// Writes a finished run, replacing any earlier file of the same key.
    public func save(_ result: ProbeRunResult, fingerprint: ProbeRunFingerprint) throws {
        let file = url(learningRate: result.learningRate, layer: result.layer, seed: result.seed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = Self.nonFiniteEncoding
        do {
            let data = try encoder.encode(Record(fingerprint: fingerprint.value, result: result))
            try AtomicFile.write(to: file) { try $0.append(Array(data)) }
        } catch {
            throw ProbeError.runStore(file: file.path, reason: "cannot write: \(error)")
        }
    }
}
