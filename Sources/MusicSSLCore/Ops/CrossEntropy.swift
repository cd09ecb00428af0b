// Softmax cross-entropy over class logits: log-softmax and the negative log-likelihood fused into
// one op, so that backward is softmax − one-hot and no [N, C] log-probabilities are stored.

/// Cross-entropy of class ids `targets` under `logits`, as torch.nn.functional.cross_entropy.
///
/// Rows whose target equals `ignoreIndex` contribute nothing, to the value or the gradient. As
/// in torch, `.mean` divides by the number of rows not ignored, so when every row is ignored the
/// mean is 0/0 = NaN (and the gradient too); `.sum` gives 0 and `.none` a 0 for each ignored row.
///
/// - Parameters:
///   - logits: [N, C] unnormalised class scores.
///   - targets: N class ids in 0..<C, or `ignoreIndex`.
/// - Returns: a scalar, or [N] for `.none`.
/// - Throws: ``TensorError`` when `logits` is not rank 2, `targets.count` is not N, or a target
///   is out of range.
public func crossEntropy(
    logits: Tensor, targets: [Int], ignoreIndex: Int = -100, reduction: LossReduction = .mean
) throws -> Tensor {
    guard logits.rank == 2 else {
        throw TensorError("crossEntropy", "logits must be [N, C], got \(logits.shape)")
    }
    let (N, C) = (logits.shape[0], logits.shape[1])
    guard targets.count == N else {
        throw TensorError("crossEntropy", "\(targets.count) targets for logits \(logits.shape)")
    }
    if let bad = targets.first(where: { $0 != ignoreIndex && ($0 < 0 || $0 >= C) }) {
        throw TensorError(
            "crossEntropy",
            "target \(bad) is out of range for \(C) classes (logits \(logits.shape))")
    }
    let counted = targets.reduce(0) { $0 + ($1 == ignoreIndex ? 0 : 1) }
    let x = logits.base
    // Per row: log Σ e^x, kept for the pullback, and the row's loss lse − x[target].
    let logSumExp = Tensor.filling([N]) { lse in
        parallelChunks(N, cost: C &* 4) { range in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: C)
            defer { scratch.deallocate() }
            for row in range {
                lse[row] = targets[row] == ignoreIndex ? 0 : logSumExpRow(x + row &* C, scratch, C)
            }
        }
    }
    let lse = logSumExp.base
    let terms = Tensor.filling([N]) { loss in
        for row in 0..<N {
            let target = targets[row]
            loss[row] = target == ignoreIndex ? 0 : lse[row] - x[row &* C &+ target]
        }
    }
    let out: Tensor
    switch reduction {
    case .none: out = terms
    case .sum: out = Tensor(scalar: sumContiguous(terms.base, N))
    case .mean: out = Tensor(scalar: sumContiguous(terms.base, N) / Float(counted))
    }
    return Tensor.recording("crossEntropy", out, inputs: [logits]) { g, _ in
        // ∂x = factor · (softmax(x) − onehot(target)) for counted rows, 0 for ignored ones.
        let u = g.base
        let x = logits.base
        let lse = logSumExp.base
        let scalarFactor: Float =
            reduction == .none ? 0 : u[0] / (reduction == .mean ? Float(counted) : 1)
        return [
            Tensor.filling([N, C]) { d in
                parallelChunks(N, cost: C &* 2) { range in
                    for row in range {
                        let target = targets[row]
                        let source = x + row &* C
                        let gradient = d + row &* C
                        guard target != ignoreIndex else {
                            gradient.update(repeating: 0, count: C)
                            continue
                        }
                        let factor = reduction == .none ? u[row] : scalarFactor
                        let shift = lse[row]
                        for j in 0..<C { gradient[j] = factor * shiftedExp(source[j] - shift) }
                        gradient[target] -= factor
                    }
                }
            }
        ]
    }
}
