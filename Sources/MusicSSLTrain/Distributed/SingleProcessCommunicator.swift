import Foundation

/// The job of one process: every collective returns its input, ``abort(code:)`` exits. What
/// `msl` uses when `mpirun` did not start it.
public final class SingleProcessCommunicator: Communicator {
    /// A job of one.
    public init() {}

    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws {}
    public func allReduceSum(_ values: inout [Double]) throws {}
    public func allReduceMinimum(_ value: Int) throws -> Int { value }
    public func allReduceMaximum(_ value: Int) throws -> Int { value }
    public func broadcast(_ bytes: UnsafeMutableRawBufferPointer, from root: Int) throws {
        guard root == 0 else {
            throw CommunicatorError(operation: "broadcast", rank: 0, message: "root \(root) outside a job of 1")
        }
    }
    public func barrier() throws {}
    public func abort(code: Int32) -> Never { exit(code) }
}
