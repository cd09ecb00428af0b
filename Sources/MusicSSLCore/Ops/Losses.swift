// Elementwise losses (BCE with logits, MSE, smooth L1), each one fused op: the per-element loss
// and its derivatives come from one closure pair, and the reduction is folded into the pullback.

/// How a loss combines its per-element (or per-example) terms, as torch's `reduction=`.
public enum LossReduction: Sendable {
    /// The average over the terms that count (a scalar of shape `[]`).
    case mean
    /// The sum of the terms (a scalar of shape `[]`).
    case sum
    /// No reduction: one term per element (or per example).
    case none
}

/// Binary cross-entropy of `targets` under Bernoulli `logits`, in the numerically stable form
/// max(x, 0) − x·t + log(1 + e^−|x|), as torch.nn.functional.binary_cross_entropy_with_logits.
///
/// Gradients flow to both operands (∂x = σ(x) − t, ∂t = −x). Targets are usually in [0, 1] but
/// are not checked, as in torch.
///
/// - Parameters:
///   - logits: any shape.
///   - targets: the same shape as `logits`.
/// - Returns: a scalar, or a tensor of `logits.shape` for `.none`.
/// - Throws: ``TensorError`` when the shapes differ.
public func binaryCrossEntropyWithLogits(
    logits: Tensor, targets: Tensor, reduction: LossReduction = .mean
) throws -> Tensor {
    try elementwiseLoss(
        "binaryCrossEntropyWithLogits", logits, targets, reduction: reduction,
        value: { x, t in Swift.max(x, 0) - x * t + _log1pf(vectorExp(-Swift.abs(x))) },
        derivatives: { x, t in (1 / (1 + vectorExp(-x)) - t, -x) })
}

/// Squared error (p − t)², as torch.nn.functional.mse_loss.
///
/// - Parameters:
///   - prediction: any shape.
///   - target: the same shape (torch would broadcast with a warning; MusicSSL throws instead,
///     since a broadcast here is nearly always a bug).
/// - Returns: a scalar, or a tensor of `prediction.shape` for `.none`.
/// - Throws: ``TensorError`` when the shapes differ.
public func meanSquaredError(
    _ prediction: Tensor, _ target: Tensor, reduction: LossReduction = .mean
) throws -> Tensor {
    try elementwiseLoss(
        "meanSquaredError", prediction, target, reduction: reduction,
        value: { p, t in (p - t) * (p - t) },
        derivatives: { p, t in (2 * (p - t), 2 * (t - p)) })
}

/// Smooth L1 (Huber-like) loss, as torch.nn.functional.smooth_l1_loss: with d = p − t,
/// 0.5·d²/β where |d| < β and |d| − 0.5·β elsewhere; β = 0 is the plain L1 loss |d|.
///
/// - Parameters:
///   - prediction: any shape.
///   - target: the same shape.
///   - beta: where the quadratic part ends; ≥ 0.
/// - Returns: a scalar, or a tensor of `prediction.shape` for `.none`.
/// - Throws: ``TensorError`` when the shapes differ or `beta` is negative.
public func smoothL1Loss(
    _ prediction: Tensor, _ target: Tensor, beta: Float = 1, reduction: LossReduction = .mean
) throws -> Tensor {
    guard beta >= 0 else {
        throw TensorError("smoothL1Loss", "beta must be ≥ 0, got \(beta)")
    }
    let halfBeta = 0.5 * beta
    let inverseBeta = beta > 0 ? 1 / beta : 0
    return try elementwiseLoss(
        "smoothL1Loss", prediction, target, reduction: reduction,
        value: { p, t in
            let d = Swift.abs(p - t)
            return d < beta ? 0.5 * d * d * inverseBeta : d - halfBeta
        },
        derivatives: { p, t in
            // The slope is d/β inside the quadratic zone and sign(d) outside (0 at d = 0, as torch).
            let d = p - t
            let slope: Float =
                Swift.abs(d) < beta ? d * inverseBeta : (d > 0 ? 1 : (d < 0 ? -1 : 0))
            return (slope, -slope)
        })
}

/// A loss that is a sum of `value(a[i], b[i])` over elements of two same-shaped tensors, with
/// `derivatives` giving (∂/∂a, ∂/∂b) of one term. Mean over no elements is NaN, as torch.
@inline(__always)
func elementwiseLoss(
    _ operation: String, _ a: Tensor, _ b: Tensor, reduction: LossReduction,
    value: @escaping (Float, Float) -> Float,
    derivatives: @escaping (Float, Float) -> (Float, Float)
) throws -> Tensor {
    guard a.shape == b.shape else {
        throw TensorError(
            operation, "operands must have the same shape, got \(a.shape) and \(b.shape)")
    }
    let count = a.count
    let x = a.base
    let y = b.base
    let terms = Tensor.filling(a.shape) { out in
        parallelChunks(count, cost: 8) { range in
            for i in range { out[i] = value(x[i], y[i]) }
        }
    }
    let out: Tensor
    switch reduction {
    case .none: out = terms
    case .sum: out = Tensor(scalar: sumContiguous(terms.base, count))
    case .mean: out = Tensor(scalar: sumContiguous(terms.base, count) / Float(count))
    }
    return Tensor.recording(operation, out, inputs: [a, b]) { g, needs in
        let u = g.base
        let x = a.base
        let y = b.base
        // The upstream factor of element i: g[i] unreduced, else the scalar g (÷ count for mean).
        let scalarFactor: Float =
            reduction == .none ? 0 : u[0] / (reduction == .mean ? Float(count) : 1)
        let isElementwise = reduction == .none
        var gradients: [Tensor?] = [nil, nil]
        let gradientA = needs[0] ? TensorStorage(uninitializedCapacity: count) : nil
        let gradientB = needs[1] ? TensorStorage(uninitializedCapacity: count) : nil
        let da = gradientA?.pointer
        let db = gradientB?.pointer
        parallelChunks(count, cost: 8) { range in
            for i in range {
                let factor = isElementwise ? u[i] : scalarFactor
                let (partialA, partialB) = derivatives(x[i], y[i])
                da?[i] = factor * partialA
                db?[i] = factor * partialB
            }
        }
        if let gradientA { gradients[0] = Tensor(shape: a.shape, storage: gradientA) }
        if let gradientB { gradients[1] = Tensor(shape: b.shape, storage: gradientB) }
        return gradients
    }
}
