import Foundation
import MusicSSLCore
import MusicSSLProbe

extension TaskFixtureTree {
    /// Writes `manifest.csv` (CRLF line ends, a `split` column, one quoted path with a comma)
    /// and six 16-kHz, 1-s WAVs under `folder/audio/`, two per split, annotated for `target`:
    /// labels `happy`/`sad`, tags from `drums;bass` (one row has none), columns `arousal` and
    /// `valence`, or two or three beat times. Returns the manifest's URL.
    ///
    /// Train: `audio/a.wav`, `"audio/b, take 2.wav"`; valid: `audio/c.wav`, `audio/d.wav`;
    /// test: `audio/e.wav`, `audio/f.wav`.
    @discardableResult
    static func writeCSV(_ target: CSVTarget, to folder: URL) throws -> URL {
        let paths = [
            "audio/a.wav", "audio/b, take 2.wav", "audio/c.wav", "audio/d.wav", "audio/e.wav",
            "audio/f.wav",
        ]
        let splits = ["train", "train", "valid", "validation", "test", "TEST"]
        let header: [String]
        let annotations: [[String]]
        switch target {
        case .label:
            header = ["label"]
            annotations = [["sad"], ["happy"], ["happy"], ["sad"], ["sad"], ["happy"]]
        case .labels:
            header = ["labels"]
            annotations = [["drums;bass"], ["bass"], [""], ["drums"], ["bass; drums"], ["drums"]]
        case .values(let columns):
            header = columns
            annotations = (0..<6).map { row in
                columns.indices.map { String(Double(row) + Double($0) / 2) }
            }
        case .beatTimes:
            header = ["beat_times"]
            annotations = (0..<6).map { $0 % 2 == 0 ? ["0.25 0.5 0.75"] : ["0.5  0.25"] }
        case .key:
            header = ["key"]
            annotations = [
                ["C major"], ["F# minor"], ["Bb major"], ["a minor"], ["Gb minor"], ["D# major"],
            ]
        }
        let quote = { (field: String) in
            field.contains(",") || field.contains("\"")
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }
        var lines = [(["path"] + header + ["split"]).map(quote).joined(separator: ",")]
        for (index, path) in paths.enumerated() {
            lines.append(
                ([path] + annotations[index] + [splits[index]]).map(quote).joined(separator: ","))
            try FixtureAudio.write(
                folder.appendingPathComponent(path), seconds: 1, sampleRate: 16_000)
        }
        let manifest = folder.appendingPathComponent("manifest.csv")
        try FixtureAudio.writeText(lines.joined(separator: "\r\n") + "\r\n", to: manifest)
        return manifest
    }
}
