// Group and instance normalisation, as torch.nn.functional.group_norm and instance_norm, with
// their fused backward. Work runs per (batch, channel) row so that wav2vec2's GroupNorm(512, 512)
// over [B, 512, 16000] and a two-group norm over the same input are equally parallel; per-group
// statistics are combined from per-channel ones (Chan et al.'s pairwise variance update).

/// Group normalisation, as `torch.nn.functional.group_norm`: the channels are split into
/// `groupCount` consecutive groups and each (example, group) is normalised over its channels
/// and remaining axes, `y = (x − mean) / √(var + ε) · weight[c] + bias[c]`.
///
/// wav2vec2's first CNN layer uses `GroupNorm(512, 512)` (one group per channel).
///
/// - Parameters:
///   - x: `[batch, channels, ...]`.
///   - groupCount: number of groups; divides `channels`.
///   - weight: `[channels]` scale, or nil for none.
///   - bias: `[channels]` shift, or nil for none.
///   - epsilon: added to the variance, ≥ 0.
/// - Returns: the shape of `x`.
/// - Throws: ``TensorError`` when `x` has rank < 2, `groupCount` does not divide the channels,
///   or `weight`/`bias` is not `[channels]`.
public func groupNorm(
    _ x: Tensor, groupCount: Int, weight: Tensor?, bias: Tensor?, epsilon: Float = 1e-5
) throws -> Tensor {
    let op = "groupNorm"
    guard x.rank >= 2 else {
        throw TensorError(op, "expected [batch, channels, ...], got \(x.shape)")
    }
    guard groupCount >= 1, x.shape[1] % groupCount == 0 else {
        throw TensorError(op, "group count \(groupCount) must be ≥ 1 and divide the \(x.shape[1]) channels of \(x.shape)")
    }
    return try channelGroupNorm(op, x, groupCount: groupCount, weight, bias, epsilon)
}

/// Instance normalisation without running statistics, as `torch.nn.functional.instance_norm`:
/// each (example, channel) is normalised over its frames, then scaled by `weight[c]` and
/// shifted by `bias[c]`.
///
/// - Parameters:
///   - x: `[batch, channels, frames]`.
///   - weight: `[channels]` scale, or nil for none.
///   - bias: `[channels]` shift, or nil for none.
///   - epsilon: added to the variance, ≥ 0.
/// - Returns: `[batch, channels, frames]`.
/// - Throws: ``TensorError`` when `x` is not rank 3 or `weight`/`bias` is not `[channels]`.
public func instanceNorm(
    _ x: Tensor, weight: Tensor? = nil, bias: Tensor? = nil, epsilon: Float = 1e-5
) throws -> Tensor {
    let op = "instanceNorm"
    guard x.rank == 3 else {
        throw TensorError(op, "expected [batch, channels, frames], got \(x.shape)")
    }
    // Instance norm is group norm with one group per channel.
    return try channelGroupNorm(op, x, groupCount: x.shape[1], weight, bias, epsilon)
}

/// Shared body of ``groupNorm(_:groupCount:weight:bias:epsilon:)`` and
/// ``instanceNorm(_:weight:bias:epsilon:)``; `groupCount` divides `x.shape[1]`.
private func channelGroupNorm(
    _ op: String, _ x: Tensor, groupCount: Int, _ weight: Tensor?, _ bias: Tensor?,
    _ epsilon: Float
) throws -> Tensor {
    let channels = x.shape[1]
    guard channels >= 1 else { throw TensorError(op, "needs at least one channel, got \(x.shape)") }
    try validateAffine(op, weight: weight, bias: bias, shape: [channels], of: x.shape)
    guard epsilon >= 0 else { throw TensorError(op, "epsilon must be ≥ 0, got \(epsilon)") }
    let layout = ChannelGroups(
        batch: x.shape[0], channels: channels, groups: groupCount,
        frames: x.shape.dropFirst(2).reduce(1, *))
    let gamma = weight ?? Tensor.ones([channels]), beta = bias ?? Tensor.zeros([channels])
    let statistics = layout.statistics(of: x, epsilon: epsilon)
    let out = Tensor.filling(x.shape) { y in
        let (source, stats, w, b) = (x.base, statistics.pointer, gamma.base, beta.base)
        let n = layout.frames
        parallelChunks(layout.rows, cost: n) { range in
            for row in range {
                let c = row % channels, group = layout.group(ofRow: row)
                let (m, s) = (stats[2 &* group], stats[2 &* group &+ 1])
                let (scale, shift) = (s * w[c], b[c])
                let (input, target) = (source + row &* n, y + row &* n)
                for t in 0..<n { target[t] = (input[t] - m) * scale + shift }
            }
        }
    }
    let inputs = [x] + [weight, bias].compactMap { $0 }
    return Tensor.recording(op, out, inputs: inputs) { upstream, needs in
        let needsWeight = weight != nil && needs[1]
        let needsBias = bias != nil && needs[weight == nil ? 1 : 2]
        let (dx, dWeight, dBias) = layout.backward(
            x, upstream, gamma: gamma, statistics: statistics, needsInput: needs[0],
            needsAffine: needsWeight || needsBias)
        var gradients: [Tensor?] = [dx]
        if weight != nil { gradients.append(needsWeight ? dWeight : nil) }
        if bias != nil { gradients.append(needsBias ? dBias : nil) }
        return gradients
    }
}

/// `[batch, channels, frames]` seen as rows of frames, one per (example, channel), grouped in
/// runs of `channels / groups` rows. `frames` is the product of every axis after the channels.
private struct ChannelGroups {
    let batch: Int
    let channels: Int
    let groups: Int
    let frames: Int

    var rows: Int { batch &* channels }
    var channelsPerGroup: Int { channels / groups }
    /// Elements each (example, group) normalises over.
    var groupElements: Int { channelsPerGroup &* frames }

    /// Index of the (example, group) that row (example, channel) belongs to.
    @inline(__always)
    func group(ofRow row: Int) -> Int { row / channelsPerGroup }

    /// Per (example, group): mean and inverse standard deviation, interleaved.
    ///
    /// Each row's mean and Σ(x − mean)² are taken in parallel, then merged per group:
    /// `M2 = Σ_c (M2_c + frames·(mean_c − mean)²)`.
    func statistics(of x: Tensor, epsilon: Float) -> TensorStorage {
        var means = [Double](repeating: 0, count: rows)
        var squares = [Double](repeating: 0, count: rows)
        let source = x.base, n = frames
        means.withUnsafeMutableBufferPointer { meanOut in
            squares.withUnsafeMutableBufferPointer { squaresOut in
                parallelChunks(rows, cost: n) { range in
                    for row in range {
                        (meanOut[row], squaresOut[row]) = rowMoments(source + row &* n, n)
                    }
                }
            }
        }
        let stats = TensorStorage(uninitializedCapacity: 2 &* batch &* groups)
        for group in 0..<(batch &* groups) {
            let first = group &* channelsPerGroup
            let members = first..<(first &+ channelsPerGroup)
            let mean = members.reduce(0) { $0 + means[$1] } / Double(channelsPerGroup)
            let merged = members.reduce(0) {
                let offset = means[$1] - mean
                return $0 + squares[$1] + Double(n) * offset * offset
            }
            stats.pointer[2 &* group] = Float(mean)
            stats.pointer[2 &* group &+ 1] = inverseStandardDeviation(
                squares: merged, count: groupElements, epsilon: epsilon)
        }
        return stats
    }

    /// Fused backward. Per row, `Σ dy` and `Σ dy·(x − mean)`; per group, with `g = dy·γ` and
    /// `x̂` normalised: `dx = rstd·(g − mean(g) − x̂·mean(g·x̂))`, written as
    /// `dx = rstd·γ_c·dy + q·(x − mean) + r`; `dγ_c = Σ_batch rstd·Σ dy·(x − mean)`,
    /// `dβ_c = Σ_batch Σ dy`.
    func backward(
        _ x: Tensor, _ upstream: Tensor, gamma: Tensor, statistics: TensorStorage,
        needsInput: Bool, needsAffine: Bool
    ) -> (Tensor?, Tensor?, Tensor?) {
        var sumsDY = [Double](repeating: 0, count: rows)
        var sumsDYX = [Double](repeating: 0, count: rows)
        let (source, dy, w, stats) = (x.base, upstream.base, gamma.base, statistics.pointer)
        let n = frames
        sumsDY.withUnsafeMutableBufferPointer { outDY in
            sumsDYX.withUnsafeMutableBufferPointer { outDYX in
                parallelChunks(rows, cost: n) { range in
                    for row in range {
                        let center = stats[2 &* group(ofRow: row)]
                        (outDY[row], outDYX[row]) = rowGradientSums(
                            dy + row &* n, source + row &* n, n, center: center)
                    }
                }
            }
        }
        var dx: Tensor?
        if needsInput {
            // Per (example, group), from meanG = mean(g) and meanGX = mean(g·x̂):
            // q = −rstd²·meanGX and r = −rstd·meanG.
            var coefficients = [Float](repeating: 0, count: 2 &* batch &* groups)
            let scale = 1 / Double(Swift.max(groupElements, 1))
            for group in 0..<(batch &* groups) {
                let rstd = Double(stats[2 &* group &+ 1])
                var meanG: Double = 0, meanGX: Double = 0
                for row in (group &* channelsPerGroup)..<((group &+ 1) &* channelsPerGroup) {
                    let gammaC = Double(w[row % channels])
                    meanG += gammaC * sumsDY[row]
                    meanGX += gammaC * sumsDYX[row]
                }
                meanG *= scale
                meanGX *= scale * rstd
                coefficients[2 &* group] = Float(-rstd * rstd * meanGX)
                coefficients[2 &* group &+ 1] = Float(-rstd * meanG)
            }
            dx = Tensor.filling(x.shape) { out in
                coefficients.withUnsafeBufferPointer { q in
                    parallelChunks(rows, cost: n) { range in
                        for row in range {
                            let group = group(ofRow: row)
                            let (m, rstd) = (stats[2 &* group], stats[2 &* group &+ 1])
                            let p = rstd * w[row % channels]
                            let (slope, constant) = (q[2 &* group], q[2 &* group &+ 1])
                            let (g, input, target) = (dy + row &* n, source + row &* n, out + row &* n)
                            for t in 0..<n {
                                target[t] = p * g[t] + slope * (input[t] - m) + constant
                            }
                        }
                    }
                }
            }
        }
        guard needsAffine else { return (dx, nil, nil) }
        var gradientWeight = [Float](repeating: 0, count: channels)
        var gradientBias = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            var sumWeight: Double = 0, sumBias: Double = 0
            for b in 0..<batch {
                let row = b &* channels &+ c
                sumWeight += Double(stats[2 &* group(ofRow: row) &+ 1]) * sumsDYX[row]
                sumBias += sumsDY[row]
            }
            gradientWeight[c] = Float(sumWeight)
            gradientBias[c] = Float(sumBias)
        }
        return (dx, Tensor(gradientWeight), Tensor(gradientBias))
    }
}
