/// A trainable tensor owned by a layer: its current value and the gradient accumulated for it.
///
/// Forward passes read ``tensor`` (the value attached to the autodiff graph as a leaf);
/// optimizers read ``gradient`` and write ``value``.
public final class Parameter {
    /// The current value. Setting it keeps the accumulated gradient only if the shape is unchanged.
    public var value: Tensor {
        didSet {
            value = value.detached()
            if value.shape != leaf.shape { leaf = GradientNode(leafOfShape: value.shape) }
        }
    }
    /// False for parameters that are kept fixed (they get no gradient and no optimizer update).
    public var isTrainable: Bool

    private var leaf: GradientNode

    /// Creates a parameter holding `value`.
    public init(_ value: Tensor, isTrainable: Bool = true) {
        self.value = value.detached()
        self.isTrainable = isTrainable
        self.leaf = GradientNode(leafOfShape: value.shape)
    }

    /// The value as a leaf of the autodiff graph (no graph when frozen or under ``noGrad(_:)``).
    public var tensor: Tensor {
        guard isTrainable, GradientMode.isEnabled else { return value }
        return Tensor(shape: value.shape, storage: value.storage, offset: value.offset, node: leaf)
    }

    /// Gradient accumulated by backward passes since the last ``zeroGradient()``.
    public var gradient: Tensor? { leaf.gradient }

    /// Shape of the value.
    public var shape: [Int] { value.shape }

    /// Calls `body` with the value's elements to overwrite in place (an optimizer's update).
    ///
    /// Writing through `parameter.value.withUnsafeMutableBufferPointer` from another module
    /// would go through the observed property's getter and setter, copying the whole value first.
    public func withUnsafeMutableValue<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try value.withUnsafeMutableBufferPointer(body)
    }

    /// Discards the accumulated gradient.
    public func zeroGradient() {
        leaf.zeroGradient()
    }

    /// Replaces the accumulated gradient (used by clipping and gradient averaging).
    ///
    /// - Throws: ``TensorError`` when the shape differs from the value's.
    public func setGradient(_ gradient: Tensor?) throws {
        if let gradient, gradient.shape != value.shape {
            throw TensorError("Parameter", "gradient of shape \(gradient.shape) for a value of shape \(value.shape)")
        }
        leaf.gradient = gradient?.detached()
    }
}
