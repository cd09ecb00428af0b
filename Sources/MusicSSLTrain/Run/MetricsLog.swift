import Foundation
import MusicSSLCore

/// A run's metrics, one JSON object per logged step, appended to `metrics.jsonl` as training goes.
///
/// Each ``append(_:)`` writes its whole line with one `write` call, so the line reaches the
/// operating system at once: a process killed afterwards loses nothing, and a kill during the
/// call can at worst leave a torn last line, which reading skips with a warning. (Lines are not
/// `fsync`ed one by one; call ``synchronize()`` where a power loss must not lose them.)
///
/// Resuming from the checkpoint of step S drops the lines after S (written by the killed run
/// after its last checkpoint; the resumed run logs those steps again), rewriting the file
/// atomically, so the log always describes the one run that the checkpoints continue.
///
/// ```swift
/// let log = try MetricsLog(url: run.metricsURL, opening: .resuming(atStep: checkpoint.step))
/// try log.append(MetricsRecord(step: 1210, loss: 6.1, learningRate: 5e-4,
///                              samplesPerSecond: 30, values: ["masked_accuracy": 0.12]))
/// try LossCurveSVG(records: log.records).write(to: run.lossCurveURL)
/// ```
public final class MetricsLog {
    /// How an existing file is treated when the log is opened.
    public enum Opening: Equatable, Sendable {
        /// A new run: any existing file is replaced by an empty one.
        case startingFresh
        /// A run resumed from the checkpoint of `step`: records after it are dropped; a missing
        /// file starts empty.
        case resuming(atStep: Int)
    }

    /// The file's name inside a run directory.
    public static let fileName = "metrics.jsonl"

    /// The log file.
    public let url: URL
    /// Every record in the log, oldest first: those kept from the file and those appended.
    public private(set) var records: [MetricsRecord]
    /// What opening found worth telling: a torn last line skipped, records dropped on resume.
    public let warnings: [String]
    private var descriptor: Int32

    /// Opens the log at `url` for appending.
    ///
    /// - Throws: ``MetricsLogError`` when the file cannot be read, rewritten or opened, or a line
    ///   other than the last is not a record.
    public init(url: URL, opening: Opening) throws {
        let path = url.path
        var kept: [MetricsRecord] = []
        var warnings: [String] = []
        switch opening {
        case .startingFresh:
            break
        case .resuming(let step):
            if FileManager.default.fileExists(atPath: path) {
                let contents = try Self.read(from: url)
                warnings = contents.warnings
                kept = contents.records.filter { $0.step <= step }
                let dropped = contents.records.count - kept.count
                if dropped > 0 {
                    warnings.append(
                        "dropped \(dropped) metrics record\(dropped == 1 ? "" : "s") after "
                            + "step \(step) from \(path), logged after the checkpoint resumed from")
                }
            }
        }
        // Always rewritten, so a torn last line (even one missing only its newline) is gone
        // before appending; through a temporary file, so a kill here leaves the old log intact.
        let lines = try kept.map { try $0.jsonLine() + "\n" }.joined()
        do {
            try AtomicFile.write(to: url) { try $0.append(Array(lines.utf8)) }
        } catch {
            throw MetricsLogError(path: path, .fileSystem("\(error)"))
        }
        self.url = url
        self.records = kept
        self.warnings = warnings
        descriptor = try Self.openForAppending(path)
    }

    deinit {
        close(descriptor)
    }

    /// Appends `record` as one line.
    ///
    /// - Throws: ``MetricsLogError`` when its step is not after the last record's, a value
    ///   name is reserved, or the write fails.
    public func append(_ record: MetricsRecord) throws {
        if let last = records.last, record.step <= last.step {
            throw MetricsLogError(
                path: url.path,
                .invalidRecord("step \(record.step) is not after the last logged step \(last.step)")
            )
        }
        let bytes = Array((try record.jsonLine() + "\n").utf8)
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var written = 0
            while written < buffer.count {
                let result = write(descriptor, base + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw MetricsLogError(
                        path: url.path,
                        .fileSystem("write failed: \(String(cString: strerror(errno)))"))
                }
                written += result
            }
        }
        records.append(record)
    }

    /// Flushes the appended lines to disk (`fsync`).
    ///
    /// - Throws: ``MetricsLogError`` when the system call fails.
    public func synchronize() throws {
        guard fsync(descriptor) == 0 else {
            throw MetricsLogError(
                path: url.path, .fileSystem("fsync failed: \(String(cString: strerror(errno)))"))
        }
    }

    /// The records in the log at `url`, oldest first, and warnings about what was skipped.
    ///
    /// A last line that is not a record (torn by a kill during its write) is skipped with a
    /// warning; blank lines are ignored.
    ///
    /// - Throws: ``MetricsLogError`` when the file cannot be read or another line is not a
    ///   record.
    public static func read(from url: URL) throws -> (records: [MetricsRecord], warnings: [String])
    {
        let text: String
        do {
            text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        } catch {
            throw MetricsLogError(path: url.path, .fileSystem("cannot read: \(error)"))
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var records: [MetricsRecord] = []
        var warnings: [String] = []
        for (index, line) in lines.enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            if let record = MetricsRecord.parse(jsonLine: String(line)) {
                records.append(record)
            } else if index == lines.count - 1 {
                // The last line without a newline: a write that was cut short.
                warnings.append(
                    "skipped line \(index + 1) of \(url.path), the unfinished last line of a write "
                        + "that was cut short")
            } else {
                throw MetricsLogError(path: url.path, .malformedLine(index + 1))
            }
        }
        return (records, warnings)
    }

    private static func openForAppending(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw MetricsLogError(
                path: path, .fileSystem("open failed: \(String(cString: strerror(errno)))"))
        }
        return descriptor
    }
}
