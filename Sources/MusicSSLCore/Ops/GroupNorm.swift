// Group and instance normalisation, as torch.nn.functional.group_norm and instance_norm, with
// their fused backward. Statistics are taken per (example, channel) row and merged per group
// (Chan et al.'s pairwise variance update), so one kernel serves wav2vec2's GroupNorm(512, 512)
// over [B, 512, 16000], a two-group norm and instance norm.

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
        throw TensorError(
            op, "group count \(groupCount) must be ≥ 1 and divide the \(x.shape[1]) channels "
                + "of \(x.shape)")
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
    let (out, statistics) = layout.forward(x, gamma: gamma, beta: beta, epsilon: epsilon)
    return recordingAffineNorm(op, out, input: x, weight: weight, bias: bias) { upstream, needsInput, needsAffine in
        layout.backward(
            x, upstream, gamma: gamma, statistics: statistics, needsInput: needsInput,
            needsAffine: needsAffine)
    }
}

/// `[batch, channels, frames]` seen as rows of frames, one per (example, channel), grouped in
/// runs of `channels / groups` rows, one run per (example, group) "unit". `frames` is the product
/// of every axis after the channels.
///
/// Each pass is a few per-row and per-unit stages. With at least one unit per thread, each thread
/// runs every stage of its units in turn, so a unit's rows are still in cache for the second
/// sweep (wav2vec2's GroupNorm(512, 512) then reads each 64 KB channel from memory once);
/// with fewer units, every stage runs in parallel over all rows before the next starts.
private struct ChannelGroups {
    let batch: Int
    let channels: Int
    let groups: Int
    let frames: Int

    var rows: Int { batch &* channels }
    var units: Int { batch &* groups }
    var channelsPerGroup: Int { channels / groups }
    /// Elements each unit normalises over.
    var unitElements: Int { channelsPerGroup &* frames }

    /// Runs `perRow` over every row, then `perUnit` over every unit, then `after` over every row,
    /// in the schedule described on the type.
    func schedule(
        perRow: (Int) -> Void, perUnit: (Int) -> Void, after: ((Int) -> Void)?
    ) {
        let perGroup = channelsPerGroup
        if units >= Parallelism.threadCount {
            parallelChunks(units, cost: unitElements) { range in
                for unit in range {
                    let unitRows = (unit &* perGroup)..<((unit &+ 1) &* perGroup)
                    for row in unitRows { perRow(row) }
                    perUnit(unit)
                    if let after { for row in unitRows { after(row) } }
                }
            }
        } else {
            parallelChunks(rows, cost: frames) { range in for row in range { perRow(row) } }
            for unit in 0..<units { perUnit(unit) }
            if let after {
                parallelChunks(rows, cost: frames) { range in for row in range { after(row) } }
            }
        }
    }

    /// Normalised output, and per unit its mean and inverse standard deviation (interleaved).
    ///
    /// Each row's mean and Σ(x − mean)² are merged per unit with Chan et al.'s update:
    /// `M2 = Σ_c (M2_c + frames·(mean_c − mean)²)`.
    func forward(
        _ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float
    ) -> (Tensor, TensorStorage) {
        let means = UnsafeMutablePointer<Double>.allocate(capacity: rows)
        let squares = UnsafeMutablePointer<Double>.allocate(capacity: rows)
        defer {
            means.deallocate()
            squares.deallocate()
        }
        let statistics = TensorStorage(uninitializedCapacity: 2 &* units)
        let (source, stats, w, b) = (x.base, statistics.pointer, gamma.base, beta.base)
        let (n, perGroup, channels) = (frames, channelsPerGroup, channels)
        let out = Tensor.filling(x.shape) { y in
            schedule(
                perRow: { row in (means[row], squares[row]) = rowMoments(source + row &* n, n) },
                perUnit: { unit in
                    let first = unit &* perGroup
                    var mean: Double = 0
                    for row in first..<(first &+ perGroup) { mean += means[row] }
                    mean /= Double(perGroup)
                    var merged: Double = 0
                    for row in first..<(first &+ perGroup) {
                        let offset = means[row] - mean
                        merged += squares[row] + Double(n) * offset * offset
                    }
                    stats[2 &* unit] = Float(mean)
                    stats[2 &* unit &+ 1] = inverseStandardDeviation(
                        squares: merged, count: perGroup &* n, epsilon: epsilon)
                },
                after: { row in
                    let c = row % channels, unit = row / perGroup
                    let (m, scale, shift) = (stats[2 &* unit], stats[2 &* unit &+ 1] * w[c], b[c])
                    let (input, target) = (source + row &* n, y + row &* n)
                    for t in 0..<n { target[t] = (input[t] - m) * scale + shift }
                })
        }
        return (out, statistics)
    }

    /// Fused backward. Per row, `Σ dy` and `Σ dy·(x − mean)`; per unit, with `g = dy·γ` and `x̂`
    /// normalised, `dx = rstd·(g − mean(g) − x̂·mean(g·x̂))` is written
    /// `dx = rstd·γ_c·dy + q·(x − mean) + r` with `q = −rstd²·mean(g·x̂)`, `r = −rstd·mean(g)`;
    /// `dγ_c = Σ_batch rstd·Σ dy·(x − mean)`, `dβ_c = Σ_batch Σ dy`.
    func backward(
        _ x: Tensor, _ upstream: Tensor, gamma: Tensor, statistics: TensorStorage,
        needsInput: Bool, needsAffine: Bool
    ) -> (Tensor?, Tensor?, Tensor?) {
        let sumsDY = UnsafeMutablePointer<Double>.allocate(capacity: rows)
        let sumsDYX = UnsafeMutablePointer<Double>.allocate(capacity: rows)
        let coefficients = UnsafeMutablePointer<Float>.allocate(capacity: 2 &* units)
        defer {
            sumsDY.deallocate()
            sumsDYX.deallocate()
            coefficients.deallocate()
        }
        let (source, dy, w, stats) = (x.base, upstream.base, gamma.base, statistics.pointer)
        let (n, perGroup, channels) = (frames, channelsPerGroup, channels)
        let scale = 1 / Double(Swift.max(unitElements, 1))
        let dxStorage = TensorStorage(uninitializedCapacity: needsInput ? x.count : 0)
        let dx = dxStorage.pointer
        schedule(
            perRow: { row in
                (sumsDY[row], sumsDYX[row]) = rowGradientSums(
                    dy + row &* n, source + row &* n, n, center: stats[2 &* (row / perGroup)])
            },
            perUnit: { unit in
                guard needsInput else { return }
                let rstd = Double(stats[2 &* unit &+ 1])
                var meanG: Double = 0, meanGX: Double = 0
                for row in (unit &* perGroup)..<((unit &+ 1) &* perGroup) {
                    let gammaC = Double(w[row % channels])
                    meanG += gammaC * sumsDY[row]
                    meanGX += gammaC * sumsDYX[row]
                }
                meanG *= scale
                meanGX *= scale * rstd
                coefficients[2 &* unit] = Float(-rstd * rstd * meanGX)
                coefficients[2 &* unit &+ 1] = Float(-rstd * meanG)
            },
            after: needsInput ? { row in
                let unit = row / perGroup
                let (m, p) = (stats[2 &* unit], stats[2 &* unit &+ 1] * w[row % channels])
                let (q, r) = (coefficients[2 &* unit], coefficients[2 &* unit &+ 1])
                let (g, input, target) = (dy + row &* n, source + row &* n, dx + row &* n)
                for t in 0..<n { target[t] = p * g[t] + q * (input[t] - m) + r }
            } : nil)
        let dxTensor = needsInput ? Tensor(shape: x.shape, storage: dxStorage) : nil
        guard needsAffine else { return (dxTensor, nil, nil) }
        let dWeight = Tensor.filling([channels]) { out in
            for c in 0..<channels {
                var total: Double = 0
                for b in 0..<batch {
                    let row = b &* channels &+ c
                    total += Double(stats[2 &* (row / perGroup) &+ 1]) * sumsDYX[row]
                }
                out[c] = Float(total)
            }
        }
        let dBias = Tensor.filling([channels]) { out in
            for c in 0..<channels {
                var total: Double = 0
                for b in 0..<batch { total += sumsDY[b &* channels &+ c] }
                out[c] = Float(total)
            }
        }
        return (dxTensor, dWeight, dBias)
    }
}
