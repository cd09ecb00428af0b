import Foundation
import MusicSSLCore

extension ClusterLabels {
    /// Reads a split written by ``write(to:)`` or by fairseq's recipe (`dump_km_label.py`'s
    /// `.km`, plus the manifest and `dict.km.txt`).
    ///
    /// - Parameters:
    ///   - directory: The labels folder.
    ///   - split: The file name stem, `train` by default.
    /// - Throws: ``ClusterLabelError`` naming the file and line: a missing file, a dictionary
    ///   line that is not `<id> <count>` in order, a label that is not an integer or not below
    ///   K, a different number of label lines and manifest clips, an invalid sidecar;
    ///   `CorpusError` for a malformed manifest.
    public init(contentsOf directory: URL, split: String = "train") throws {
        let files = ClusterLabelFiles(directory: directory, split: split)
        let clusterCount = try Self.readDictionary(files.dictionaryURL)
        let manifest = try CorpusManifest(contentsOf: files.manifestURL)
        let lines = try Self.readLabels(files.labelURL, clusterCount: clusterCount)
        guard lines.count == manifest.entries.count else {
            throw ClusterLabelError(
                path: files.labelURL.path,
                .lineCountMismatch(
                    labelLines: lines.count, manifestClips: manifest.entries.count,
                    manifestPath: files.manifestURL.path))
        }
        var info: ClusterLabelInfo?
        if FileManager.default.fileExists(atPath: files.infoURL.path) {
            let data = try Self.contents(of: files.infoURL)
            do {
                info = try JSONDecoder().decode(ClusterLabelInfo.self, from: data)
            } catch {
                throw ClusterLabelError(
                    path: files.infoURL.path, .malformedInfo("not valid JSON: \(error)"))
            }
            guard info?.clusterCount == clusterCount else {
                throw ClusterLabelError(
                    path: files.infoURL.path,
                    .malformedInfo(
                        "says \(info?.clusterCount ?? 0) clusters but dict.km.txt has \(clusterCount)"
                    ))
            }
        }
        var kind: ClusterFeatureKind?
        if let text = info?.featureKind {
            guard let parsed = ClusterFeatureKind(text) else {
                throw ClusterLabelError(
                    path: files.infoURL.path, .malformedInfo("unknown feature kind '\(text)'"))
            }
            kind = parsed
        }
        let clips = zip(manifest.entries, lines).map {
            Clip(path: $0.path, sampleCount: $0.sampleCount, labels: $1)
        }
        do {
            try self.init(
                split: split, root: manifest.root, clips: clips, clusterCount: clusterCount,
                labelRate: info?.labelRate, featureKind: kind, modelPath: info?.model)
        } catch let error as ClusterLabelError {
            throw ClusterLabelError(path: files.infoURL.path, .malformedInfo(error.description))
        }
    }

    private static func contents(of url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw ClusterLabelError(path: url.path, .unreadable(error.localizedDescription))
        }
    }

    /// K from `dict.km.txt`: line i (1-based) must be `<i − 1> <count>`.
    static func readDictionary(_ url: URL) throws -> Int {
        let data = try contents(of: url)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ClusterLabelError(path: url.path, .unreadable("not UTF-8 text"))
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard !lines.isEmpty else {
            throw ClusterLabelError(path: url.path, .malformedDictionary(line: 1, found: ""))
        }
        for (offset, line) in lines.enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard fields.count == 2, Int(fields[0]) == offset, Int(fields[1]) != nil else {
                throw ClusterLabelError(
                    path: url.path, .malformedDictionary(line: offset + 1, found: String(line)))
            }
        }
        return lines.count
    }

    /// The cluster ids of each line of a `.km` file, checked against K.
    static func readLabels(_ url: URL, clusterCount: Int) throws -> [[Int32]] {
        let data = try contents(of: url)
        var lines: [[Int32]] = []
        var current: [Int32] = []
        // The current token: its bytes (for the message), its value, whether it is all digits.
        var token: [UInt8] = []
        var value = 0
        var isNumber = true
        var lineNumber = 1
        func endToken() throws {
            guard !token.isEmpty else { return }
            guard isNumber else {
                throw ClusterLabelError(
                    path: url.path,
                    .notAClusterID(line: lineNumber, token: String(decoding: token, as: UTF8.self)))
            }
            guard value < clusterCount else {
                throw ClusterLabelError(
                    path: url.path,
                    .clusterIDOutOfRange(line: lineNumber, id: value, clusterCount: clusterCount))
            }
            current.append(Int32(value))
            token.removeAll(keepingCapacity: true)
            value = 0
        }
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    try endToken()
                case UInt8(ascii: "\n"):
                    try endToken()
                    lines.append(current)
                    current = []
                    lineNumber += 1
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    token.append(byte)
                    // Anything past K is out of range; capping keeps clear of overflow.
                    value = Swift.min(value * 10 + Int(byte - UInt8(ascii: "0")), Int(Int32.max))
                default:
                    token.append(byte)
                    isNumber = false
                    // A runaway token (binary data) is reported without reading on.
                    if token.count > 40 { try endToken() }
                }
            }
            try endToken()
            if !current.isEmpty || (bytes.last.map { $0 != UInt8(ascii: "\n") } ?? false) {
                lines.append(current)
            }
        }
        return lines
    }
}
