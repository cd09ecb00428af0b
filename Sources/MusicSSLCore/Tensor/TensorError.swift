/// An error raised by a tensor operation: the op's name, what was wrong, and the shapes involved.
///
/// Messages follow the `[op] what went wrong` form, e.g.
/// `[matmul] inner dimensions differ: [2, 3] and [4, 5]`.
public struct TensorError: Error, CustomStringConvertible, Equatable {
    /// The operation that failed, e.g. `matmul` or `reshape`.
    public let operation: String
    /// A human sentence saying what was wrong, naming shapes, axes or values.
    public let message: String

    /// Creates an error for `operation` with a human-readable `message`.
    public init(_ operation: String, _ message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "[\(operation)] \(message)" }
}
