import MusicSSLCore

/// Updates parameters in place from the gradients accumulated in them.
///
/// An optimizer keeps per-parameter state (moments, momentum buffers) keyed by the parameter's
/// identity, so the same `Parameter` objects must be passed to every call. Parameters that are
/// frozen (`isTrainable == false`) or have no gradient are skipped and their state is left
/// untouched, as `torch.optim` skips parameters whose `grad` is `None`.
///
/// One training step (see ``scaleGradients(of:by:)`` for accumulation over micro-batches):
/// ```swift
/// model.zeroGradients()
/// try model.loss(for: batch).backward()
/// let norm = try clipGradientNorm(of: model.parameters, maximumNorm: 10)
/// if norm.isFinite {
///     try optimizer.update(model.parameters, learningRate: schedule.learningRate(atStep: step))
/// }
/// ```
///
/// For checkpoints, ``stateTensors(names:)`` exports the state under the parameters' dotted
/// names (`encoder.layers.0.fc1.weight.exp_avg`, …) and ``loadState(_:names:)`` restores it, so
/// that a resumed run continues bit for bit.
public protocol Optimizer: AnyObject {
    /// Number of ``update(_:learningRate:)`` calls so far (fairseq's `num_updates`).
    var stepCount: Int { get }

    /// Applies one update to every trainable parameter that has a gradient.
    ///
    /// - Parameters:
    ///   - parameters: the parameters to update; each keeps its state across calls.
    ///   - learningRate: the learning rate of this update (from a ``LearningRateSchedule``).
    /// - Throws: ``OptimizationError/stateMismatch(key:message:)`` when a parameter's shape no
    ///   longer matches the state kept for it.
    func update(_ parameters: [Parameter], learningRate: Float) throws

    /// The optimizer's state as named tensors, for a checkpoint.
    ///
    /// Keys are `"<parameter name>.<state name>"` with torch's state names, plus `"step_count"`
    /// (a one-element tensor holding ``stepCount``). Integer counts are stored as Float32, exact
    /// up to 2²⁴ steps.
    ///
    /// - Parameter names: every parameter that has state, with its dotted name (as
    ///   `Layer.namedParameters()` lists them).
    /// - Throws: ``OptimizationError/stateMismatch(key:message:)`` when a parameter with state
    ///   is missing from `names`.
    func stateTensors(names: [(name: String, parameter: Parameter)]) throws -> [String: Tensor]

    /// Replaces the optimizer's state with `tensors` written by ``stateTensors(names:)``.
    ///
    /// Parameters without entries in `tensors` start fresh.
    ///
    /// - Throws: ``OptimizationError/stateMismatch(key:message:)`` for a key that names no
    ///   parameter or state, or a tensor whose shape differs from its parameter's.
    func loadState(_ tensors: [String: Tensor], names: [(name: String, parameter: Parameter)])
        throws
}
