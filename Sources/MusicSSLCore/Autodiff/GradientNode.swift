/// One recorded operation of the autodiff tape: which inputs it read and how to pull a gradient
/// of its output back to them.
///
/// Leaves (parameters and tensors made with ``Tensor/requiringGradient()``) have no pullback and
/// accumulate the gradient that reaches them in ``gradient``.
public final class GradientNode {
    /// A pullback maps the gradient of an op's output to gradients of its inputs, one entry per
    /// input (`nil` where the input needs none). `needs[i]` says whether input `i` wants one.
    public typealias Pullback = (_ upstream: Tensor, _ needs: [Bool]) throws -> [Tensor?]

    let inputs: [GradientNode?]
    var pullback: Pullback?
    let operation: String
    let shape: [Int]
    /// For leaves: the gradient accumulated by every ``Tensor/backward(_:retainingGraph:)`` so far.
    public internal(set) var gradient: Tensor?

    /// True for a leaf of the graph (no inputs).
    public var isLeaf: Bool { inputs.isEmpty }

    init(leafOfShape shape: [Int]) {
        self.inputs = []
        self.pullback = nil
        self.operation = "leaf"
        self.shape = shape
    }

    init(operation: String, shape: [Int], inputs: [GradientNode?], pullback: @escaping Pullback) {
        self.operation = operation
        self.shape = shape
        self.inputs = inputs
        self.pullback = pullback
    }

    /// Clears the accumulated gradient of a leaf.
    public func zeroGradient() {
        gradient = nil
    }

    func accumulate(_ incoming: Tensor) throws {
        if let existing = gradient {
            gradient = try existing.detached() + incoming.detached()
        } else {
            gradient = incoming.detached()
        }
    }
}
