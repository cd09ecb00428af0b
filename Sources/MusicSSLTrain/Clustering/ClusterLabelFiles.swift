import Foundation
import MusicSSLCore

/// The files of one split in a labels folder, and their text formats (see ``ClusterLabels``).
/// Every file is written atomically (temporary file + rename).
struct ClusterLabelFiles {
    let directory: URL
    let split: String

    var labelURL: URL {
        directory.appendingPathComponent(ClusterLabels.labelFileName(split: split))
    }
    var manifestURL: URL {
        directory.appendingPathComponent(ClusterLabels.manifestFileName(split: split))
    }
    var infoURL: URL { directory.appendingPathComponent(ClusterLabels.infoFileName(split: split)) }
    var dictionaryURL: URL { directory.appendingPathComponent(ClusterLabels.dictionaryFileName) }

    func createDirectory() throws {
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true)
        } catch {
            throw ClusterLabelError(path: directory.path, .unwritable(error.localizedDescription))
        }
    }

    /// Writes `<split>.km`; `body` appends one clip's labels per call, in manifest order.
    func writeLabels(_ body: ((_ labels: [Int32]) throws -> Void) throws -> Void) throws {
        try atomically(labelURL) { sink in
            var line: [UInt8] = []
            try body { labels in
                line.removeAll(keepingCapacity: true)
                Self.appendLine(labels, to: &line)
                try line.withUnsafeBytes { try sink.append($0) }
            }
        }
    }

    /// Writes `<split>.tsv`: the root, then `path<TAB>sampleCount` per clip.
    func writeManifest(root: URL, clips: [(path: String, sampleCount: Int)]) throws {
        var text = root.path + "\n"
        for clip in clips { text += "\(clip.path)\t\(clip.sampleCount)\n" }
        try writeText(text, to: manifestURL)
    }

    /// Writes `dict.km.txt`: `"<id> 1"` for ids 0..<K, as fairseq's recipe does.
    func writeDictionary(clusterCount: Int) throws {
        try writeText((0..<clusterCount).map { "\($0) 1\n" }.joined(), to: dictionaryURL)
    }

    /// Writes `<split>.km.json`.
    func writeInfo(_ info: ClusterLabelInfo) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(info) } catch {
            throw ClusterLabelError(path: infoURL.path, .malformedInfo("\(error)"))
        }
        try writeText(String(decoding: data, as: UTF8.self) + "\n", to: infoURL)
    }

    private func writeText(_ text: String, to url: URL) throws {
        try atomically(url) { sink in
            try Array(text.utf8).withUnsafeBytes { try sink.append($0) }
        }
    }

    private func atomically(_ url: URL, _ body: (AtomicFile.Sink) throws -> Void) throws {
        do {
            try AtomicFile.write(to: url, body)
        } catch let error as ClusterLabelError {
            throw error
        } catch let error as KMeansError {
            throw error
        } catch {
            // The file system's failure (open, write, fsync, rename), naming the call.
            throw ClusterLabelError(path: url.path, .unwritable("\(error)"))
        }
    }

    /// Appends `labels` in decimal, space-separated, and a newline.
    static func appendLine(_ labels: [Int32], to line: inout [UInt8]) {
        var digits = [UInt8](repeating: 0, count: 11)
        for (position, label) in labels.enumerated() {
            if position > 0 { line.append(UInt8(ascii: " ")) }
            var value = Int(label), count = 0
            repeat {
                digits[count] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                count += 1
            } while value > 0
            for i in stride(from: count - 1, through: 0, by: -1) { line.append(digits[i]) }
        }
        line.append(UInt8(ascii: "\n"))
    }
}
