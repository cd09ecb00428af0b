import Foundation
import MusicSSLCore

/// The folder of one training run, locked against a second writer:
///
/// ```
/// RUN_DIR/
///   config.yaml          the configuration the run was started with
///   checkpoints/         checkpoint-000001200.safetensors, … (CheckpointStore)
///   metrics.jsonl        one JSON object per logged step (MetricsLog)
///   loss_curve.svg       the loss curve, redrawn as the run goes (LossCurveSVG)
///   encoder.safetensors  the trained encoder, written when the run finishes (EncoderCheckpoint)
///   run.lock             held (flock) while a run writes here; names its process id
/// ```
///
/// Opening takes an exclusive `flock` on `run.lock`; a second opening, by this process or any
/// other, fails with an error naming the holder's process id until the first is released
/// (``release()``, deinit, or the process ending in any way, SIGKILL included: the kernel drops
/// the lock with the process, so a killed run never leaves the directory blocked).
///
/// ```swift
/// let run = try RunDirectory(url: outURL)
/// defer { run.release() }   // also keeps `run`, and so the lock, alive to the end of the scope
/// try run.writeConfiguration(yamlText)
/// let store = try run.checkpointStore(keepCount: 3)
/// ```
///
/// Swift may end an object's lifetime after its last use, so a run directory that is opened and
/// never mentioned again can lose its lock early: refer to it at the end of the run (the
/// `defer { run.release() }` above does).
public final class RunDirectory {
    /// The run's folder.
    public let url: URL
    private var lockDescriptor: Int32

    /// The configuration file: `config.yaml`.
    public var configurationURL: URL { url.appendingPathComponent("config.yaml") }
    /// The checkpoints folder: `checkpoints/`.
    public var checkpointsURL: URL { url.appendingPathComponent("checkpoints", isDirectory: true) }
    /// The metrics log: `metrics.jsonl`.
    public var metricsURL: URL { url.appendingPathComponent(MetricsLog.fileName) }
    /// The loss curve: `loss_curve.svg`.
    public var lossCurveURL: URL { url.appendingPathComponent("loss_curve.svg") }
    /// The trained encoder: `encoder.safetensors`.
    public var encoderURL: URL { url.appendingPathComponent("encoder.safetensors") }
    /// The lock file: `run.lock`.
    public var lockURL: URL { url.appendingPathComponent("run.lock") }

    /// Opens (creating if needed) the run directory at `url` and takes its lock.
    ///
    /// - Throws: ``RunDirectoryError`` `.locked` naming the holder's process id when another
    ///   run holds the directory; `.fileSystem` when it cannot be created or locked.
    public init(url: URL) throws {
        do {
            try FileManager.default.createDirectory(
                at: url.appendingPathComponent("checkpoints", isDirectory: true),
                withIntermediateDirectories: true)
        } catch {
            throw RunDirectoryError(path: url.path, .fileSystem("cannot create: \(error)"))
        }
        let lockPath = url.appendingPathComponent("run.lock").path
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RunDirectoryError(path: lockPath, .fileSystem(Self.reason("open")))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let failure = Self.reason("flock")
            let holder = Self.processID(in: descriptor)
            close(descriptor)
            throw RunDirectoryError(
                path: url.path,
                busy ? .locked(processID: holder, lockFile: lockPath) : .fileSystem(failure))
        }
        // The holder's pid, for the error another run will show; the lock itself is the flock.
        let record = Array("\(getpid())\n".utf8)
        let written = record.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard ftruncate(descriptor, off_t(record.count)) == 0, written == record.count else {
            let failure = Self.reason("write")
            close(descriptor)
            throw RunDirectoryError(path: lockPath, .fileSystem(failure))
        }
        self.url = url
        lockDescriptor = descriptor
    }

    deinit {
        release()
    }

    /// Releases the lock; later calls do nothing. The directory's files stay.
    public func release() {
        guard lockDescriptor >= 0 else { return }
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
        lockDescriptor = -1
    }

    /// The checkpoint store in ``checkpointsURL``.
    ///
    /// - Throws: ``CheckpointError`` for a keep count below 1.
    public func checkpointStore(keepCount: Int = 3) throws -> CheckpointStore {
        try CheckpointStore(directory: checkpointsURL, keepCount: keepCount)
    }

    /// Writes `text` (the run's YAML configuration) to ``configurationURL`` atomically.
    ///
    /// - Throws: ``RunDirectoryError`` when the file cannot be written.
    public func writeConfiguration(_ text: String) throws {
        do {
            try AtomicFile.write(to: configurationURL) { try $0.append(Array(text.utf8)) }
        } catch {
            throw RunDirectoryError(path: configurationURL.path, .fileSystem("\(error)"))
        }
    }

    /// The stored configuration text, or nil when the run has none yet.
    ///
    /// - Throws: ``RunDirectoryError`` when the file exists but cannot be read.
    public func storedConfiguration() throws -> String? {
        guard FileManager.default.fileExists(atPath: configurationURL.path) else { return nil }
        do {
            return String(decoding: try Data(contentsOf: configurationURL), as: UTF8.self)
        } catch {
            throw RunDirectoryError(path: configurationURL.path, .fileSystem("\(error)"))
        }
    }

    /// The process id written in the lock file open at `descriptor`, if it holds one.
    private static func processID(in descriptor: Int32) -> Int? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes[0..<count], as: UTF8.self)
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func reason(_ call: String) -> String {
        "\(call) failed: \(String(cString: strerror(errno)))"
    }
}
