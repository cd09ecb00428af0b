// Layer normalisation over the last axis, as torch.nn.functional.layer_norm, with its fused
// backward. Rows are independent, so both passes run in parallel over rows.

/// Layer normalisation over the last axis, as `torch.nn.functional.layer_norm(x, [lastDim],
/// weight, bias, epsilon)`: `y = (x − mean) / √(var + ε) · weight + bias`, with the biased
/// variance of each row.
///
/// - Parameters:
///   - x: `[..., lastDim]`.
///   - weight: `[lastDim]` scale, or nil for none.
///   - bias: `[lastDim]` shift, or nil for none.
///   - epsilon: added to the variance, ≥ 0.
/// - Returns: the shape of `x`.
/// - Throws: ``TensorError`` when `x` has no axes, an empty last axis, or `weight`/`bias` is
///   not `[lastDim]`.
public func layerNorm(
    _ x: Tensor, weight: Tensor?, bias: Tensor?, epsilon: Float = 1e-5
) throws -> Tensor {
    let op = "layerNorm"
    guard let n = x.shape.last, n >= 1 else {
        throw TensorError(op, "needs a non-empty last axis, got \(x.shape)")
    }
    try validateAffine(op, weight: weight, bias: bias, shape: [n], of: x.shape)
    guard epsilon >= 0 else { throw TensorError(op, "epsilon must be ≥ 0, got \(epsilon)") }
    let rows = x.count / n
    let gamma = weight ?? Tensor.ones([n]), beta = bias ?? Tensor.zeros([n])
    // Per row: mean, then inverse standard deviation; what backward needs besides x.
    let statistics = TensorStorage(uninitializedCapacity: 2 &* rows)
    let out = Tensor.filling(x.shape) { y in
        let (source, stats, w, b) = (x.base, statistics.pointer, gamma.base, beta.base)
        parallelChunks(rows, cost: n) { range in
            for r in range {
                let row = source + r &* n, target = y + r &* n
                let (mean, squares) = rowMoments(row, n)
                let m = Float(mean)
                let s = inverseStandardDeviation(squares: squares, count: n, epsilon: epsilon)
                stats[2 &* r] = m
                stats[2 &* r &+ 1] = s
                for j in 0..<n { target[j] = (row[j] - m) * s * w[j] + b[j] }
            }
        }
    }
    return recordingAffineNorm(op, out, input: x, weight: weight, bias: bias) { upstream, needsInput, needsAffine in
        layerNormBackward(
            x, upstream, gamma: gamma, statistics: statistics, needsInput: needsInput,
            needsAffine: needsAffine)
    }
}

/// Fused backward of ``layerNorm(_:weight:bias:epsilon:)``. With `g = dy·γ` and `x̂` the
/// normalised row: `dx = rstd·(g − mean(g) − x̂·mean(g·x̂))`, `dγ = Σ_rows dy·x̂`,
/// `dβ = Σ_rows dy`.
///
/// Each parallel chunk of rows accumulates its own partial `dγ`, `dβ`; they are summed at the end.
private func layerNormBackward(
    _ x: Tensor, _ upstream: Tensor, gamma: Tensor, statistics: TensorStorage,
    needsInput: Bool, needsAffine: Bool
) -> (Tensor?, Tensor?, Tensor?) {
    let n = gamma.count, rows = x.count / n
    let chunks = chunkCount(rows: rows, cost: n)
    let partials = TensorStorage(zeroedCapacity: needsAffine ? chunks &* 2 &* n : 0)
    let dxStorage = TensorStorage(uninitializedCapacity: needsInput ? x.count : 0)
    let (source, dy, w, stats) = (x.base, upstream.base, gamma.base, statistics.pointer)
    let (dx, partial) = (dxStorage.pointer, partials.pointer)
    let scale = 1 / Float(n)
    parallelIndexedChunks(rows, chunks: chunks, cost: n) { chunk, range in
        let dGamma = partial + chunk &* 2 &* n, dBeta = dGamma + n
        for r in range {
            let row = source + r &* n, g = dy + r &* n
            let (m, s) = (stats[2 &* r], stats[2 &* r &+ 1])
            var lanesG = SIMD16<Float>(repeating: 0), lanesGX = SIMD16<Float>(repeating: 0)
            var j = 0
            while j &+ 16 <= n {
                let normalized = (load16(row + j) - m) * s
                let d = load16(g + j)
                let weighted = d * load16(w + j)
                lanesG += weighted
                lanesGX.addProduct(weighted, normalized)
                if needsAffine {
                    store16(load16(dGamma + j) + d * normalized, dGamma + j)
                    store16(load16(dBeta + j) + d, dBeta + j)
                }
                j &+= 16
            }
            var sumG = lanesG.sum(), sumGX = lanesGX.sum()
            while j < n {
                let normalized = (row[j] - m) * s
                let weighted = g[j] * w[j]
                sumG += weighted
                sumGX += weighted * normalized
                if needsAffine {
                    dGamma[j] += g[j] * normalized
                    dBeta[j] += g[j]
                }
                j &+= 1
            }
            guard needsInput else { continue }
            let (meanG, meanGX) = (sumG * scale, sumGX * scale)
            let target = dx + r &* n
            for k in 0..<n {
                target[k] = s * (g[k] * w[k] - meanG - (row[k] - m) * s * meanGX)
            }
        }
    }
    var dWeight: Tensor?, dBias: Tensor?
    if needsAffine {
        dWeight = Tensor.filling([n]) { out in
            for j in 0..<n { out[j] = partial[j] }
            for c in 1..<chunks {
                for j in 0..<n { out[j] += partial[c &* 2 &* n &+ j] }
            }
        }
        dBias = Tensor.filling([n]) { out in
            for j in 0..<n { out[j] = partial[n &+ j] }
            for c in 1..<chunks {
                for j in 0..<n { out[j] += partial[c &* 2 &* n &+ n &+ j] }
            }
        }
    }
    withExtendedLifetime(partials) {}
    let dxTensor = needsInput ? Tensor(shape: x.shape, storage: dxStorage) : nil
    return (dxTensor, dWeight, dBias)
}

/// `1 / √(squares / count + ε)`, computed in Double.
@inline(__always)
func inverseStandardDeviation(squares: Double, count: Int, epsilon: Float) -> Float {
    Float(1 / (squares / Double(Swift.max(count, 1)) + Double(epsilon)).squareRoot())
}

/// Checks that an optional affine `weight` and `bias` each have `shape`.
func validateAffine(
    _ op: String, weight: Tensor?, bias: Tensor?, shape: [Int], of input: [Int]
) throws {
    for (name, parameter) in [("weight", weight), ("bias", bias)] {
        if let parameter, parameter.shape != shape {
            throw TensorError(op, "\(name) \(parameter.shape) must be \(shape) for input \(input)")
        }
    }
}

/// Records a normalisation `op` whose inputs are `x` and its optional affine `weight` and `bias`.
///
/// The pullback asks `backward(upstream, needsInput, needsAffine)` for `(dx, dWeight, dBias)`
/// (each may be nil when not asked for) and hands back the gradients of the inputs that exist.
func recordingAffineNorm(
    _ op: String, _ out: Tensor, input x: Tensor, weight: Tensor?, bias: Tensor?,
    backward: @escaping (_ upstream: Tensor, _ needsInput: Bool, _ needsAffine: Bool) -> (Tensor?, Tensor?, Tensor?)
) -> Tensor {
    let inputs = [x] + [weight, bias].compactMap { $0 }
    return Tensor.recording(op, out, inputs: inputs) { upstream, needs in
        let needsWeight = weight != nil && needs[1]
        let needsBias = bias != nil && needs[weight == nil ? 1 : 2]
        let (dx, dWeight, dBias) = backward(upstream, needs[0], needsWeight || needsBias)
        var gradients: [Tensor?] = [dx]
        if weight != nil { gradients.append(needsWeight ? dWeight : nil) }
        if bias != nil { gradients.append(needsBias ? dBias : nil) }
        return gradients
    }
}
