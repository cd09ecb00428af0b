import Foundation
import MusicSSLCore

/// Adam with decoupled weight decay, as `torch.optim.AdamW` (non-amsgrad, single-tensor path)
/// or, with ``EpsilonPlacement/beforeBiasCorrection``, exactly fairseq's `Adam`.
///
/// Per parameter `p` with gradient `g`, at its `t`-th update with learning rate `lr`:
/// ```
/// p ← p · (1 − lr · weightDecay)
/// m ← β1 · m + (1 − β1) · g
/// v ← β2 · v + (1 − β2) · g²
/// p ← p − lr / (1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
/// ```
/// The defaults are torch's (β 0.9/0.999, ε 1e-8, weight decay 0.01). HuBERT, data2vec and MERT
/// pre-train with fairseq's values: β 0.9/0.98, ε 1e-6, weight decay 0.01 applied to every
/// parameter including biases and norms (model-spec §5.2), i.e.
/// `AdamW(beta2: 0.98, epsilon: 1e-6, epsilonPlacement: .beforeBiasCorrection)`.
public final class AdamW: Optimizer {
    /// Where ε enters the denominator; the two conventions differ while `1 − β2ᵗ` is far from 1.
    public enum EpsilonPlacement: Sendable {
        /// `torch.optim.AdamW`: `√v / √(1 − β2ᵗ) + ε`.
        case afterBiasCorrection
        /// fairseq `optim/adam.py`: `√v + ε`, with the step size `lr · √(1 − β2ᵗ) / (1 − β1ᵗ)`.
        case beforeBiasCorrection
    }

    /// Decay of the first-moment average (torch `betas[0]`).
    public let beta1: Float
    /// Decay of the second-moment average (torch `betas[1]`).
    public let beta2: Float
    /// Added to the denominator for numerical stability (torch `eps`).
    public let epsilon: Float
    /// Decoupled weight decay, multiplied by the learning rate (torch `weight_decay`).
    public let weightDecay: Float
    /// Where ``epsilon`` is added.
    public let epsilonPlacement: EpsilonPlacement
    public private(set) var stepCount = 0

    private var states = ParameterStateTable<AdamState>()

    /// Creates the optimizer.
    ///
    /// - Throws: ``OptimizationError/invalidArgument(component:message:)`` when a β is outside
    ///   [0, 1), or ε or the weight decay is negative.
    public init(
        beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01,
        epsilonPlacement: EpsilonPlacement = .afterBiasCorrection
    ) throws {
        for (name, beta) in [("beta1", beta1), ("beta2", beta2)] where !(0 <= beta && beta < 1) {
            throw OptimizationError.invalidArgument(
                component: "AdamW", message: "\(name) must lie in [0, 1), got \(beta)")
        }
        guard epsilon >= 0, weightDecay >= 0 else {
            throw OptimizationError.invalidArgument(
                component: "AdamW",
                message:
                    "epsilon and weightDecay must be non-negative, got \(epsilon) and \(weightDecay)"
            )
        }
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.epsilonPlacement = epsilonPlacement
    }

    public func update(_ parameters: [Parameter], learningRate: Float) throws {
        // Check every parameter before writing any, so a mismatch leaves the model untouched.
        var work: [(parameter: Parameter, gradient: Tensor, state: AdamState)] = []
        for parameter in parameters where parameter.isTrainable {
            guard let gradient = parameter.gradient else { continue }
            let state = states.state(for: parameter) ?? AdamState(shape: parameter.shape)
            guard state.firstMoment.shape == parameter.shape else {
                throw OptimizationError.stateMismatch(
                    key: "exp_avg",
                    message:
                        "shape \(state.firstMoment.shape) for a parameter now of shape \(parameter.shape)"
                )
            }
            work.append((parameter, gradient, state))
        }
        for (parameter, gradient, state) in work {
            state.step += 1
            states.setState(state, for: parameter)
            step(parameter, gradient: gradient, state: state, learningRate: Double(learningRate))
        }
        stepCount += 1
    }

    /// One fused pass over a parameter: weight decay, both moments and the update.
    private func step(
        _ parameter: Parameter, gradient: Tensor, state: AdamState, learningRate: Double
    ) {
        let kernel = AdamKernel(optimizer: self, step: state.step, learningRate: learningRate)
        let placement = epsilonPlacement
        gradient.withUnsafeBufferPointer { g in
            parameter.withUnsafeMutableValue { p in
                state.firstMoment.withUnsafeMutableBufferPointer { m in
                    state.secondMoment.withUnsafeMutableBufferPointer { v in
                        guard let g = g.baseAddress, let p = p.baseAddress,
                            let m = m.baseAddress, let v = v.baseAddress
                        else { return }
                        forEachChunk(gradient.count) { range in
                            switch placement {
                            case .afterBiasCorrection:
                                kernel.torchUpdate(range, p: p, g: g, m: m, v: v)
                            case .beforeBiasCorrection:
                                kernel.fairseqUpdate(range, p: p, g: g, m: m, v: v)
                            }
                        }
                    }
                }
            }
        }
    }

    public func stateTensors(
        names: [(name: String, parameter: Parameter)]
    ) throws -> [String: Tensor] {
        try states.export(names: names, stepCount: stepCount)
    }

    public func loadState(
        _ tensors: [String: Tensor], names: [(name: String, parameter: Parameter)]
    ) throws {
        stepCount = try states.load(tensors, names: names)
    }
}

/// The scalars of one Adam update and its two elementwise loops.
///
/// Each loop repeats its reference's CPU kernels operation by operation, fused multiply-adds
/// included (`add_` with `alpha`, `lerp_` for β1 ≥ 0.5, `addcmul_`), so results agree with torch
/// to the bit except where torch's vectorised `sqrt` is an ulp off.
struct AdamKernel {
    let beta1, beta2, epsilon: Float
    /// `1 − β1`, `1 − β2`, rounded once from Double as torch does.
    let oneMinusBeta1, oneMinusBeta2: Float
    /// torch: `1 − lr · wd`; fairseq: `−wd · lr`.
    let decayFactor, decayRate: Float
    /// `√(1 − β2ᵗ)`.
    let rootCorrection: Float
    /// torch: `−lr / (1 − β1ᵗ)`; fairseq: `−lr · √(1 − β2ᵗ) / (1 − β1ᵗ)`.
    let torchStepSize, fairseqStepSize: Float

    init(optimizer: AdamW, step: Int, learningRate lr: Double) {
        // Scalars in Double, as torch and fairseq compute them in Python floats.
        let (b1, b2) = (Double(optimizer.beta1), Double(optimizer.beta2))
        let wd = Double(optimizer.weightDecay)
        let biasCorrection1 = 1 - Foundation.pow(b1, Double(step))
        let biasCorrection2 = 1 - Foundation.pow(b2, Double(step))
        beta1 = optimizer.beta1
        beta2 = optimizer.beta2
        epsilon = optimizer.epsilon
        oneMinusBeta1 = Float(1 - b1)
        oneMinusBeta2 = Float(1 - b2)
        decayFactor = Float(1 - lr * wd)
        decayRate = Float(-wd * lr)
        rootCorrection = Float(biasCorrection2.squareRoot())
        torchStepSize = Float(-lr / biasCorrection1)
        fairseqStepSize = Float(-lr * biasCorrection2.squareRoot() / biasCorrection1)
    }

    /// torch: `p.mul_`, `m.lerp_`, `v.mul_().addcmul_()`, `(√v / √bc2).add_(ε)`, `p.addcdiv_`.
    @inline(__always)
    func torchUpdate(
        _ range: Range<Int>, p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
    ) {
        // Eight lanes at a time, each lane the same operations as the scalar tail, so results
        // are bit-identical to the element-by-element loop (which the compiler cannot vectorise:
        // it cannot prove the four pointers distinct).
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let gi = SIMD8<Float>(loading: g + i)
            let m0 = SIMD8<Float>(loading: m + i)
            let mi = m0.addingProduct(SIMD8(repeating: oneMinusBeta1), gi - m0)
            let vi = (SIMD8<Float>(loading: v + i) * beta2).addingProduct(gi * oneMinusBeta2, gi)
            mi.store(to: m + i)
            vi.store(to: v + i)
            let denominator = vi.squareRoot() / rootCorrection + epsilon
            let updated =
                SIMD8<Float>(loading: p + i) * decayFactor + torchStepSize * mi / denominator
            updated.store(to: p + i)
            i += 8
        }
        while i < range.upperBound {
            let gi = g[i]
            let mi = m[i].addingProduct(oneMinusBeta1, gi - m[i])
            let vi = (v[i] * beta2).addingProduct(oneMinusBeta2 * gi, gi)
            m[i] = mi
            v[i] = vi
            let denominator = vi.squareRoot() / rootCorrection + epsilon
            p[i] = p[i] * decayFactor + torchStepSize * mi / denominator
            i += 1
        }
    }

    /// fairseq: `m.mul_().add_()`, `v.mul_().addcmul_()`, `√v + ε`, `p.add_(p)`, `p.addcdiv_`.
    @inline(__always)
    func fairseqUpdate(
        _ range: Range<Int>, p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
    ) {
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let gi = SIMD8<Float>(loading: g + i)
            let mi = (SIMD8<Float>(loading: m + i) * beta1).addingProduct(
                SIMD8(repeating: oneMinusBeta1), gi)
            let vi = (SIMD8<Float>(loading: v + i) * beta2).addingProduct(gi * oneMinusBeta2, gi)
            mi.store(to: m + i)
            vi.store(to: v + i)
            let p0 = SIMD8<Float>(loading: p + i)
            let decayed = p0.addingProduct(SIMD8(repeating: decayRate), p0)
            (decayed + fairseqStepSize * mi / (vi.squareRoot() + epsilon)).store(to: p + i)
            i += 8
        }
        while i < range.upperBound {
            let gi = g[i]
            let mi = (m[i] * beta1).addingProduct(oneMinusBeta1, gi)
            let vi = (v[i] * beta2).addingProduct(oneMinusBeta2 * gi, gi)
            m[i] = mi
            v[i] = vi
            let decayed = p[i].addingProduct(decayRate, p[i])
            p[i] = decayed + fairseqStepSize * mi / (vi.squareRoot() + epsilon)
            i += 1
        }
    }
}

/// Adam's state for one parameter: torch's `step`, `exp_avg` and `exp_avg_sq`.
final class AdamState: ParameterState {
    static let stateNames = ["step", "exp_avg", "exp_avg_sq"]

    /// Updates applied to this parameter (torch's per-parameter `step`).
    var step: Int
    /// Running average of gradients, the parameter's shape.
    var firstMoment: Tensor
    /// Running average of squared gradients, the parameter's shape.
    var secondMoment: Tensor

    init(shape: [Int]) {
        step = 0
        firstMoment = Tensor.zeros(shape)
        secondMoment = Tensor.zeros(shape)
    }

    var stateTensors: [String: Tensor] {
        ["step": Tensor(scalar: Float(step)), "exp_avg": firstMoment, "exp_avg_sq": secondMoment]
    }

    init(restoringFrom tensors: [String: Tensor], parameterName: String, shape: [Int]) throws {
        guard let step = tensors["step"], let first = tensors["exp_avg"],
            let second = tensors["exp_avg_sq"]
        else {
            throw OptimizationError.stateMismatch(
                key: parameterName,
                message: "needs all of \(Self.stateNames), got \(tensors.keys.sorted())")
        }
        try checkRestoredShape(first, key: parameterName + ".exp_avg", shape: shape)
        try checkRestoredShape(second, key: parameterName + ".exp_avg_sq", shape: shape)
        self.step = try restoredCount(step, key: parameterName + ".step")
        // Tensors copy on write, so updates never write through to the caller's tensors.
        self.firstMoment = first
        self.secondMoment = second
    }
}

extension SIMD8 where Scalar == Float {
    /// Eight floats read from `pointer` (no alignment needed).
    @inline(__always)
    init(loading pointer: UnsafePointer<Float>) {
        self = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Eight floats read from `pointer` (no alignment needed).
    @inline(__always)
    init(loading pointer: UnsafeMutablePointer<Float>) {
        self.init(loading: UnsafePointer(pointer))
    }

    /// Writes the eight floats to `pointer` (no alignment needed).
    @inline(__always)
    func store(to pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: SIMD8<Float>.self)
    }
}
