extension Tensor {
    /// True when gradients flow back through this tensor.
    public var requiresGradient: Bool { gradientNode != nil }

    /// This tensor as a new leaf of the graph: ``backward(_:retainingGraph:)`` accumulates into
    /// its ``gradient``.
    public func requiringGradient() -> Tensor {
        Tensor(shape: shape, storage: storage, offset: offset, node: GradientNode(leafOfShape: shape))
    }

    /// The same values with no autodiff history (gradients stop here).
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: storage, offset: offset)
    }

    /// For a leaf: the gradient accumulated so far; `nil` before any backward pass reached it.
    public var gradient: Tensor? { gradientNode?.gradient }

    /// Attaches an op's pullback to `output` when recording is on and any input needs gradients.
    ///
    /// The pullback sits next to its forward in each op's file; this is the only place the tape
    /// grows.
    static func recording(
        _ operation: String, _ output: Tensor, inputs: [Tensor],
        pullback: @escaping GradientNode.Pullback
    ) -> Tensor {
        guard GradientMode.isEnabled, inputs.contains(where: { $0.gradientNode != nil }) else {
            return output
        }
        var result = output
        result.gradientNode = GradientNode(
            operation: operation, shape: output.shape, inputs: inputs.map(\.gradientNode),
            pullback: pullback)
        return result
    }

    /// Back-propagates from this tensor, accumulating into the gradients of every leaf it
    /// depends on.
    ///
    /// - Parameters:
    ///   - seed: the gradient of the final objective with respect to this tensor; omitted, this
    ///     tensor must hold one element and the seed is 1.
    ///   - retainingGraph: keep saved activations so that backward can run through the graph
    ///     again; by default they are freed as the pass goes.
    /// - Throws: ``TensorError`` if the seed's shape differs or the graph was already released.
    public func backward(_ seed: Tensor? = nil, retainingGraph: Bool = false) throws {
        guard let root = gradientNode else {
            throw TensorError("backward", "tensor of shape \(shape) does not require a gradient")
        }
        let start: Tensor
        if let seed {
            guard seed.shape == shape else {
                throw TensorError("backward", "seed of shape \(seed.shape) for a tensor of shape \(shape)")
            }
            start = seed.detached()
        } else {
            guard count == 1 else {
                throw TensorError("backward", "needs a seed for a non-scalar tensor of shape \(shape)")
            }
            start = Tensor.ones(shape)
        }
        let order = GradientNode.topologicalOrder(from: root)
        var gradients: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): start]
        for node in order.reversed() {
            guard let upstream = gradients.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            if node.isLeaf {
                try node.accumulate(upstream)
                continue
            }
            guard let pullback = node.pullback else {
                throw TensorError("backward", "graph of '\(node.operation)' was already released; pass retainingGraph: true to run backward twice")
            }
            let needs = node.inputs.map { $0 != nil }
            let inputGradients = try noGrad { try pullback(upstream, needs) }
            if !retainingGraph { node.pullback = nil }
            for (input, gradient) in zip(node.inputs, inputGradients) {
                guard let input, let gradient else { continue }
                guard gradient.shape == input.shape else {
                    throw TensorError("backward", "pullback of '\(node.operation)' returned shape \(gradient.shape) for an input of shape \(input.shape)")
                }
                let key = ObjectIdentifier(input)
                if let existing = gradients[key] {
                    gradients[key] = try noGrad { try existing + gradient }
                } else {
                    gradients[key] = gradient
                }
            }
        }
    }
}

extension GradientNode {
    /// Nodes reachable from `root`, each after all of its inputs (iterative, so deep graphs are safe).
    static func topologicalOrder(from root: GradientNode) -> [GradientNode] {
        var order: [GradientNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(node: GradientNode, nextInput: Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while let (node, index) = stack.last {
            if index < node.inputs.count {
                stack[stack.count - 1].nextInput += 1
                if let input = node.inputs[index], visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                stack.removeLast()
                order.append(node)
            }
        }
        return order
    }
}
