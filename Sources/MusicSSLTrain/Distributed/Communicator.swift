import Foundation
import MusicSSLCore

/// The processes of one data-parallel job and the collective operations between them: what
/// the trainer, `msl extract` and `msl benchmark` need from MPI, and nothing more.
///
/// Every process of the job calls every collective in the same order with the same sizes (the
/// MPI rule); the trainer keeps to it by running the same steps on every rank.
/// ``SingleProcessCommunicator`` is the job of one process, used whenever `msl` is not started
/// by `mpirun`, so one command serves both; ``MPICommunicator`` runs the collectives over
/// Open MPI.
///
/// ```swift
/// let communicator = try MPICommunicator.launched() ?? SingleProcessCommunicator()
/// var losses = [localLoss]
/// try communicator.allReduceSum(&losses)          // the sum over all ranks, on every rank
/// if communicator.isRoot { print("mean loss", losses[0] / Double(communicator.size)) }
/// ```
public protocol Communicator: AnyObject, Sendable {
    /// This process's index, 0 ..< ``size``.
    var rank: Int { get }
    /// Processes in the job.
    var size: Int { get }

    /// Replaces `values` on every rank with their element-wise sum over all ranks.
    func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws
    /// Replaces `values` on every rank with their element-wise sum over all ranks.
    func allReduceSum(_ values: inout [Double]) throws
    /// The smallest of every rank's `value`.
    func allReduceMinimum(_ value: Int) throws -> Int
    /// The largest of every rank's `value`.
    func allReduceMaximum(_ value: Int) throws -> Int
    /// Copies rank `root`'s `bytes` into every other rank's `bytes` (all of the same count).
    func broadcast(_ bytes: UnsafeMutableRawBufferPointer, from root: Int) throws
    /// Returns once every rank has called it.
    func barrier() throws
    /// Ends every process of the job at once with `code` (MPI_Abort): for an error on one rank
    /// that would leave the others waiting in a collective.
    func abort(code: Int32) -> Never
}

extension Communicator {
    /// Whether this is rank 0, which writes checkpoints, logs and progress.
    public var isRoot: Bool { rank == 0 }

    /// The job's ranks, for messages: "rank 1 of 2".
    public var rankDescription: String { "rank \(rank) of \(size)" }

    /// Every rank's `data` replaced by rank `root`'s (any length; the length goes first).
    public func broadcast(_ data: Data, from root: Int) throws -> Data {
        var count = [Double(data.count)]
        if rank != root { count = [0] }
        try count.withUnsafeMutableBytes { try broadcast($0, from: root) }
        var bytes = rank == root ? [UInt8](data) : [UInt8](repeating: 0, count: Int(count[0]))
        try bytes.withUnsafeMutableBytes { try broadcast($0, from: root) }
        return Data(bytes)
    }

    /// Rank `root`'s tensors on every rank: names and shapes first, then every tensor's values.
    /// Other ranks pass what they have (anything, often empty) and get `root`'s.
    public func broadcast(_ tensors: [String: Tensor], from root: Int) throws -> [String: Tensor] {
        let names = tensors.keys.sorted()
        let manifest = try JSONEncoder().encode(names.map { TensorEntry(name: $0, shape: tensors[$0]!.shape) })
        let rootManifest = try broadcast(rank == root ? manifest : Data(), from: root)
        let entries: [TensorEntry]
        do {
            entries = try JSONDecoder().decode([TensorEntry].self, from: rootManifest)
        } catch {
            throw CommunicatorError(operation: "broadcast", rank: rank, message: "rank \(root)'s tensor list is unreadable: \(error)")
        }
        var received: [String: Tensor] = [:]
        for entry in entries {
            var scalars = rank == root
                ? tensors[entry.name]!.scalars
                : [Float](repeating: 0, count: entry.shape.reduce(1, *))
            try scalars.withUnsafeMutableBytes { try broadcast($0, from: root) }
            received[entry.name] = try Tensor(shape: entry.shape, scalars: scalars)
        }
        return received
    }
}

/// A tensor's name and shape in ``Communicator/broadcast(_:from:)-(([String:Tensor],_))``'s list.
private struct TensorEntry: Codable {
    var name: String
    var shape: [Int]
}

/// A collective that failed: which, on which rank, and the library's message.
public struct CommunicatorError: Error, CustomStringConvertible, Equatable {
    /// The collective, e.g. `allreduce`.
    public var operation: String
    /// The rank that saw the failure.
    public var rank: Int
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(operation: String, rank: Int, message: String) {
        self.operation = operation
        self.rank = rank
        self.message = message
    }

    public var description: String { "\(operation) failed on rank \(rank): \(message)" }
}
