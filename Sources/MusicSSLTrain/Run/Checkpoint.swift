import Foundation
import MusicSSLCore

/// One verified training checkpoint: its step, the trainer state JSON, and named tensors read
/// from disk on demand.
///
/// Obtained from ``CheckpointStore/latest()`` or ``CheckpointStore/load(step:)``, which check
/// the whole file (length and XXH64 of the data) before handing it out.
///
/// ```swift
/// guard let checkpoint = try store.latest().checkpoint else { return }
/// let state = try checkpoint.decodeTrainerState(as: TrainerState.self)
/// let parameters = try checkpoint.tensors(withPrefix: "model.")   // names without "model."
/// ```
public struct Checkpoint: Sendable {
    /// The optimizer step the checkpoint was taken after.
    public let step: Int
    /// The trainer state as the JSON text that was saved.
    public let trainerState: String
    private let file: SafeTensorsFile

    init(step: Int, file: SafeTensorsFile, trainerState: String) {
        self.step = step
        self.file = file
        self.trainerState = trainerState
    }

    /// The checkpoint file.
    public var url: URL { file.url }

    /// The names of the tensors in the checkpoint, sorted.
    public var tensorNames: [String] { file.tensorNames }

    /// The shape of the tensor called `name`, or nil if there is none.
    public func shape(of name: String) -> [Int]? {
        file.info(for: name)?.shape
    }

    /// Reads the tensor called `name`.
    ///
    /// - Throws: ``CheckpointError`` naming the file and the tensor when there is none.
    public func tensor(named name: String) throws -> Tensor {
        do {
            return try file.tensor(named: name)
        } catch let error as SafeTensorsError {
            throw CheckpointError(path: url.path, .unreadable(error.description))
        }
    }

    /// Reads every tensor whose name starts with `prefix`, keyed by the rest of the name:
    /// `tensors(withPrefix: "model.")` gives `encoder.layers.0.fc1.weight` for the stored
    /// `model.encoder.layers.0.fc1.weight`.
    ///
    /// - Throws: ``CheckpointError`` when a tensor cannot be read.
    public func tensors(withPrefix prefix: String) throws -> [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        for name in tensorNames where name.hasPrefix(prefix) {
            tensors[String(name.dropFirst(prefix.count))] = try tensor(named: name)
        }
        return tensors
    }

    /// Reads every tensor, keyed by its full name.
    ///
    /// - Throws: ``CheckpointError`` when a tensor cannot be read.
    public func allTensors() throws -> [String: Tensor] {
        try tensors(withPrefix: "")
    }

    /// Decodes ``trainerState`` as `type` from JSON.
    ///
    /// - Throws: ``CheckpointError`` with the decoder's reason when it does not decode.
    public func decodeTrainerState<State: Decodable>(as type: State.Type) throws -> State {
        do {
            return try JSONDecoder().decode(type, from: Data(trainerState.utf8))
        } catch {
            throw CheckpointError(path: url.path, .trainerStateDecoding("\(error)"))
        }
    }
}
