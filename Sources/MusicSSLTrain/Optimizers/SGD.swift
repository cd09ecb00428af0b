import MusicSSLCore

/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
/// as `torch.optim.SGD` (dampening 0, single-tensor path).
///
/// Per parameter `p` with gradient `g` and learning rate `lr`:
/// ```
/// g ← g + weightDecay · p
/// b ← g on the first update, else momentum · b + g      (when momentum > 0)
/// g ← g + momentum · b if Nesterov, else b              (when momentum > 0)
/// p ← p − lr · g
/// ```
public final class SGD: Optimizer {
    /// Momentum factor μ (torch `momentum`); 0 for plain gradient descent.
    public let momentum: Float
    /// L2 penalty added to the gradient (torch `weight_decay`), not decoupled as in ``AdamW``.
    public let weightDecay: Float
    /// Uses Nesterov momentum (torch `nesterov`).
    public let usesNesterovMomentum: Bool
    public private(set) var stepCount = 0

    private var states = ParameterStateTable<MomentumState>()

    /// Creates the optimizer.
    ///
    /// - Throws: ``OptimizationError/invalidArgument(component:message:)`` for a negative
    ///   momentum or weight decay, or Nesterov momentum without momentum.
    public init(momentum: Float = 0, weightDecay: Float = 0, usesNesterovMomentum: Bool = false)
        throws
    {
        guard momentum >= 0, weightDecay >= 0 else {
            throw OptimizationError.invalidArgument(
                component: "SGD",
                message:
                    "momentum and weightDecay must be non-negative, got \(momentum) and \(weightDecay)"
            )
        }
        guard !usesNesterovMomentum || momentum > 0 else {
            throw OptimizationError.invalidArgument(
                component: "SGD", message: "Nesterov momentum needs a momentum above 0")
        }
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.usesNesterovMomentum = usesNesterovMomentum
    }

    public func update(_ parameters: [Parameter], learningRate: Float) throws {
        // Check every parameter before writing any, so a mismatch leaves the model untouched.
        var work: [(parameter: Parameter, gradient: Tensor, state: MomentumState?)] = []
        for parameter in parameters where parameter.isTrainable {
            guard let gradient = parameter.gradient else { continue }
            let state = states.state(for: parameter)
            if let state, state.buffer.shape != parameter.shape {
                throw OptimizationError.stateMismatch(
                    key: "momentum_buffer",
                    message:
                        "shape \(state.buffer.shape) for a parameter now of shape \(parameter.shape)"
                )
            }
            work.append((parameter, gradient, state))
        }
        for (parameter, gradient, state) in work {
            if momentum == 0 {
                step(
                    parameter, gradient: gradient, buffer: nil, isFirst: false,
                    learningRate: learningRate)
            } else {
                // torch starts the buffer as a copy of the first (decayed) gradient.
                let buffer = state ?? MomentumState(buffer: Tensor.zeros(parameter.shape))
                states.setState(buffer, for: parameter)
                step(
                    parameter, gradient: gradient, buffer: buffer, isFirst: state == nil,
                    learningRate: learningRate)
            }
        }
        stepCount += 1
    }

    /// One fused pass over a parameter: weight decay, momentum and the update.
    private func step(
        _ parameter: Parameter, gradient: Tensor, buffer: MomentumState?, isFirst: Bool,
        learningRate lr: Float
    ) {
        let (mu, decay, nesterov) = (momentum, weightDecay, usesNesterovMomentum)
        gradient.withUnsafeBufferPointer { g in
            parameter.withUnsafeMutableValue { p in
                guard let g = g.baseAddress, let p = p.baseAddress else { return }
                // torch's `add(_, alpha:)` is one fused multiply-add on CPU; so is each step here.
                guard let buffer else {
                    forEachChunk(gradient.count) { range in
                        for i in range {
                            let gi = decay == 0 ? g[i] : g[i].addingProduct(decay, p[i])
                            p[i] = p[i].addingProduct(-lr, gi)
                        }
                    }
                    return
                }
                buffer.buffer.withUnsafeMutableBufferPointer { b in
                    guard let b = b.baseAddress else { return }
                    forEachChunk(gradient.count) { range in
                        for i in range {
                            let gi = decay == 0 ? g[i] : g[i].addingProduct(decay, p[i])
                            let bi = isFirst ? gi : b[i] * mu + gi
                            b[i] = bi
                            p[i] = p[i].addingProduct(-lr, nesterov ? gi.addingProduct(mu, bi) : bi)
                        }
                    }
                }
            }
        }
    }

    public func stateTensors(names: [(name: String, parameter: Parameter)]) throws -> [String:
        Tensor]
    {
        try states.export(names: names, stepCount: stepCount)
    }

    public func loadState(
        _ tensors: [String: Tensor], names: [(name: String, parameter: Parameter)]
    ) throws {
        stepCount = try states.load(tensors, names: names)
    }
}

/// SGD's state for one parameter: torch's `momentum_buffer`.
final class MomentumState: ParameterState {
    static let stateNames = ["momentum_buffer"]

    /// The momentum buffer, the parameter's shape.
    var buffer: Tensor

    init(buffer: Tensor) {
        self.buffer = buffer
    }

    var stateTensors: [String: Tensor] { ["momentum_buffer": buffer] }

    init(restoringFrom tensors: [String: Tensor], parameterName: String, shape: [Int]) throws {
        let key = parameterName + ".momentum_buffer"
        guard let buffer = tensors["momentum_buffer"] else {
            throw OptimizationError.stateMismatch(key: key, message: "missing")
        }
        try checkRestoredShape(buffer, key: key, shape: shape)
        self.buffer = buffer
    }
}
