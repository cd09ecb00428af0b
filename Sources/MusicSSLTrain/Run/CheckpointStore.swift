import Foundation
import MusicSSLCore

/// The checkpoints of one training run: one self-contained safetensors file per saved step,
/// written atomically, the last ``keepCount`` kept, and the newest intact one found on resume.
///
/// Each file, `checkpoint-000001200.safetensors`, holds every tensor the trainer passes (model
/// parameters under `model.…`, optimizer moments under `optimizer.…`, …) and, in the
/// safetensors `__metadata__`, the step, the trainer state JSON, and the length and XXH64 of the
/// tensor data. A file is written to a hidden temporary sibling, flushed, renamed into place and
/// the folder flushed; only then are older checkpoints deleted. So a process killed at any
/// moment leaves the previous checkpoint intact, and ``latest()`` tells a complete file from a
/// truncated or damaged one by its length and checksum.
///
/// ```swift
/// let store = try CheckpointStore(directory: run.checkpointsURL, keepCount: 3)
/// try store.save(step: 1200, tensors: tensors, trainerState: state)
/// let search = try store.latest()
/// search.warnings.forEach { print("warning: \($0)") }
/// let resumed = try search.checkpoint?.decodeTrainerState(as: TrainerState.self)
/// ```
///
/// The store assumes it is the only writer of its folder (``RunDirectory`` holds a lock for
/// that): ``latest()`` deletes temporary files it finds, which would break a concurrent write.
public struct CheckpointStore: Sendable {
    /// What ``save(step:tensors:metadata:)`` did.
    public struct SaveReport: Sendable {
        /// The new checkpoint file.
        public let url: URL
        /// Older checkpoints deleted to keep ``CheckpointStore/keepCount``, and checkpoints of
        /// later steps left by an earlier run that this one resumed before.
        public let removedFiles: [URL]
        /// Files that should have been deleted but could not be, with the system's reason.
        /// The new checkpoint is in place regardless.
        public let warnings: [String]
    }

    /// The start of every checkpoint file name.
    public static let fileNamePrefix = "checkpoint-"
    /// The extension of every checkpoint file name.
    public static let fileExtension = "safetensors"
    /// Digits the step is zero-padded to in file names (longer steps simply use more).
    public static let stepDigitCount = 9

    /// The folder holding the checkpoints.
    public let directory: URL
    /// How many checkpoints are kept: each save deletes all but the newest `keepCount`.
    public let keepCount: Int

    /// A store in `directory`, created (with its parents) if missing.
    ///
    /// - Parameter keepCount: Checkpoints kept, at least 1; keep 2 or more so that a checkpoint
    ///   damaged after writing (a disk fault, a power loss on a file system that reorders
    ///   writes) still leaves one to resume from.
    /// - Throws: ``CheckpointError`` for a keep count below 1 or a folder that cannot be made.
    public init(directory: URL, keepCount: Int = 3) throws {
        guard keepCount >= 1 else {
            throw CheckpointError(
                path: directory.path, .invalidArgument("keep count \(keepCount) is below 1"))
        }
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError(path: directory.path, .fileSystem("\(error)"))
        }
        self.directory = directory
        self.keepCount = keepCount
    }

    /// `checkpoint-000001200.safetensors` for step 1200.
    public static func fileName(forStep step: Int) -> String {
        let digits = String(step)
        let padding = String(repeating: "0", count: max(0, stepDigitCount - digits.count))
        return "\(fileNamePrefix)\(padding)\(digits).\(fileExtension)"
    }

    /// The step a checkpoint file name stands for, or nil for any other name.
    public static func step(fromFileName name: String) -> Int? {
        let suffix = "." + fileExtension
        guard name.hasPrefix(fileNamePrefix), name.hasSuffix(suffix) else { return nil }
        let digits = name.dropFirst(fileNamePrefix.count).dropLast(suffix.count)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// Where the checkpoint of `step` is (or would be) stored.
    public func url(forStep step: Int) -> URL {
        directory.appendingPathComponent(Self.fileName(forStep: step))
    }

    /// The steps of the checkpoint files in the folder, ascending, verified or not.
    ///
    /// - Throws: ``CheckpointError`` when the folder cannot be listed.
    public func steps() throws -> [Int] {
        try entryNames().compactMap(Self.step(fromFileName:)).sorted()
    }

    /// Saves the checkpoint of `step`, then deletes the checkpoints beyond ``keepCount``.
    ///
    /// The file is complete and flushed before it takes its name, and the folder is flushed
    /// after the rename; older checkpoints are deleted only then. Checkpoint files of steps
    /// after `step` (left by a run that was resumed from an earlier checkpoint) are deleted too,
    /// so the store only ever holds the timeline of the run writing it.
    ///
    /// - Parameters:
    ///   - step: The optimizer step just completed, ≥ 0; an existing checkpoint of that step is
    ///     replaced.
    ///   - tensors: Every tensor to store, by name (not `__metadata__`).
    ///   - metadata: The trainer state as JSON text (step, seeds, data position, config, …).
    /// - Returns: The new file and what was deleted.
    /// - Throws: ``CheckpointError`` for a negative step, invalid JSON, a bad tensor name or a
    ///   file system failure; the store is then as it was.
    @discardableResult
    public func save(step: Int, tensors: [String: Tensor], metadata: String) throws -> SaveReport {
        let url = self.url(forStep: step)
        guard step >= 0 else {
            throw CheckpointError(path: url.path, .invalidArgument("step \(step) is negative"))
        }
        guard
            (try? JSONSerialization.jsonObject(
                with: Data(metadata.utf8), options: .fragmentsAllowed)) != nil
        else {
            throw CheckpointError(
                path: url.path, .invalidArgument("the trainer state metadata is not valid JSON"))
        }
        let named = tensors.map { (name: $0.key, tensor: $0.value) }
        let header = CheckpointFormat.metadata(step: step, trainerState: metadata, tensors: named)
        do {
            try SafeTensorsWriter.write(named, metadata: header, to: url)
            try AtomicFile.synchronizeDirectory(containing: url)
        } catch let error as SafeTensorsError {
            switch error.fault {
            case .invalidName(let reason):
                let name = error.tensorName.map { "tensor '\($0)': " } ?? ""
                throw CheckpointError(path: url.path, .invalidArgument(name + reason))
            default:
                throw CheckpointError(path: url.path, .fileSystem(error.fault.description))
            }
        } catch {
            throw CheckpointError(path: url.path, .fileSystem("\(error)"))
        }
        let (removed, warnings) = prune(after: step)
        return SaveReport(url: url, removedFiles: removed, warnings: warnings)
    }

    /// Saves the checkpoint of `step` with `trainerState` encoded as JSON (keys sorted).
    ///
    /// - Throws: ``CheckpointError`` as ``save(step:tensors:metadata:)``, or when the state does
    ///   not encode.
    @discardableResult
    public func save<State: Encodable>(
        step: Int, tensors: [String: Tensor], trainerState: State
    ) throws -> SaveReport {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json: Data
        do {
            json = try encoder.encode(trainerState)
        } catch {
            throw CheckpointError(
                path: url(forStep: step).path,
                .invalidArgument("the trainer state does not encode as JSON: \(error)"))
        }
        return try save(
            step: step, tensors: tensors, metadata: String(decoding: json, as: UTF8.self))
    }

    /// The newest checkpoint that verifies whole, passing over newer files that are truncated
    /// or damaged (each reported in ``CheckpointSearch/rejected``), after deleting temporary
    /// files left by interrupted writes.
    ///
    /// Verification reads every byte of each file it tries (length and XXH64 of the data).
    ///
    /// - Throws: ``CheckpointError`` when the folder cannot be listed.
    public func latest() throws -> CheckpointSearch {
        let removed = try removeTemporaryFiles()
        var rejected: [CheckpointError] = []
        for step in try steps().reversed() {
            do {
                let checkpoint = try CheckpointFormat.verifiedCheckpoint(
                    at: url(forStep: step), expectedStep: step)
                return CheckpointSearch(
                    checkpoint: checkpoint, rejected: rejected, removedTemporaryFiles: removed)
            } catch let error as CheckpointError {
                rejected.append(error)
            }
        }
        return CheckpointSearch(checkpoint: nil, rejected: rejected, removedTemporaryFiles: removed)
    }

    /// The checkpoint of `step`, verified whole.
    ///
    /// - Throws: ``CheckpointError`` naming the file when there is none or it fails
    ///   verification.
    public func load(step: Int) throws -> Checkpoint {
        let url = self.url(forStep: step)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CheckpointError(path: url.path, .noSuchCheckpoint(step: step))
        }
        return try CheckpointFormat.verifiedCheckpoint(at: url, expectedStep: step)
    }

    /// Deletes the temporary files (`.checkpoint-….partial`) that writes killed before their
    /// rename left behind, and returns them.
    ///
    /// - Throws: ``CheckpointError`` when the folder cannot be listed or a file not deleted.
    @discardableResult
    public func removeTemporaryFiles() throws -> [URL] {
        var removed: [URL] = []
        for name in try entryNames()
        where name.hasPrefix("." + Self.fileNamePrefix)
            && name.hasSuffix(AtomicFile.temporarySuffix)
        {
            let url = directory.appendingPathComponent(name)
            guard unlink(url.path) == 0 || errno == ENOENT else {
                throw CheckpointError(
                    path: url.path, .fileSystem(CheckpointFormat.systemReason("unlink")))
            }
            removed.append(url)
        }
        return removed
    }

    /// Deletes checkpoints of steps after `step` and all but the newest ``keepCount`` up to it.
    private func prune(after step: Int) -> (removed: [URL], warnings: [String]) {
        guard let all = try? steps() else {
            return ([], ["could not list \(directory.path) to delete old checkpoints"])
        }
        let later = all.filter { $0 > step }
        let kept = all.filter { $0 <= step }
        var removed: [URL] = []
        var warnings: [String] = []
        for old in later + kept.dropLast(keepCount) {
            let url = self.url(forStep: old)
            if unlink(url.path) == 0 || errno == ENOENT {
                removed.append(url)
            } else {
                warnings.append(
                    "could not delete \(url.path): \(String(cString: strerror(errno)))")
            }
        }
        return (removed, warnings)
    }

    private func entryNames() throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw CheckpointError(path: directory.path, .fileSystem("cannot list: \(error)"))
        }
    }
}
