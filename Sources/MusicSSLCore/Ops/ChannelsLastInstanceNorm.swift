// Instance normalisation of channels-last frames: what wav2vec 2.0's GroupNorm(C, C) computes
// after the first extractor convolution, on the `[batch, frames, channels]` layout the extractor
// runs in, so that no transpose is needed around it. Statistics are taken per (example, channel)
// down the frame axis, a block of channels at a time so each thread reads whole cache lines;
// partial sums over short runs of frames are Float, merged in Double.

/// Instance normalisation of channels-last frames, as
/// `torch.nn.functional.group_norm(x.transpose(1, 2), C, weight, bias).transpose(1, 2)` (one
/// group per channel): each (example, channel) is normalised over its frames, then scaled by
/// `weight[c]` and shifted by `bias[c]`.
///
/// - Parameters:
///   - x: `[batch, frames, channels]`.
///   - weight: `[channels]` scale, or nil for none.
///   - bias: `[channels]` shift, or nil for none.
///   - epsilon: added to the variance, ≥ 0.
/// - Returns: `[batch, frames, channels]`.
/// - Throws: ``TensorError`` when `x` is not rank 3, has no frames or channels, `weight`/`bias`
///   is not `[channels]` or `epsilon` is negative.
public func instanceNormChannelsLast(
    _ x: Tensor, weight: Tensor? = nil, bias: Tensor? = nil, epsilon: Float = 1e-5
) throws -> Tensor {
    let op = "instanceNormChannelsLast"
    guard x.rank == 3, x.shape[1] >= 1, x.shape[2] >= 1 else {
        throw TensorError(op, "expected [batch, frames, channels] with frames and channels, got \(x.shape)")
    }
    let channels = x.shape[2]
    try validateAffine(op, weight: weight, bias: bias, shape: [channels], of: x.shape)
    guard epsilon >= 0 else { throw TensorError(op, "epsilon must be ≥ 0, got \(epsilon)") }
    let columns = FrameColumns(batch: x.shape[0], frames: x.shape[1], channels: channels)
    let gamma = weight ?? Tensor.ones([channels]), beta = bias ?? Tensor.zeros([channels])
    let (out, statistics) = columns.forward(x, gamma: gamma, beta: beta, epsilon: epsilon)
    return recordingAffineNorm(op, out, input: x, weight: weight, bias: bias) { upstream, needsInput, _ in
        columns.backward(x, upstream, gamma: gamma, statistics: statistics, needsInput: needsInput)
    }
}

/// `[batch, frames, channels]` seen as `batch · channels` columns of `frames` values. Each pass
/// splits every example's frames into chunks of ``chunkLength`` frames, shared out among the
/// threads; a chunk reads its frames row by row (all channels, contiguous) and keeps
/// per-channel sums, which are then merged per example in chunk order, so every thread count
/// gives the same bits.
private struct FrameColumns {
    let batch: Int
    let frames: Int
    let channels: Int

    /// Frames summed in Float before the partial sums are added to Double totals.
    static let runLength = 128

    /// Frames per chunk: fixed, so that the result does not depend on the thread count.
    static let chunkLength = 2048

    /// Chunks each example's frames are split into.
    var chunksPerExample: Int { Swift.max(1, (frames &+ Self.chunkLength &- 1) / Self.chunkLength) }

    /// Frames of chunk `chunk` of `count`.
    func chunkFrames(_ chunk: Int, of count: Int) -> Range<Int> {
        (frames &* chunk / count)..<(frames &* (chunk &+ 1) / count)
    }

    /// Runs `body(example, frames, unit)` over every (example, chunk) unit, in parallel.
    func forEachChunk(_ count: Int, _ body: (Int, Range<Int>, Int) -> Void) {
        parallelChunks(batch &* count, cost: frames / count &* channels) { units in
            for unit in units { body(unit / count, chunkFrames(unit % count, of: count), unit) }
        }
    }

    /// Adds `Σ_t (a[t·C + c] − ā[c])·(b[t·C + c] − b̄[c])` over `range` into `totals[c]` for every
    /// channel, where a nil centre counts as zero and a nil `b` as one (so `Σ_t a[t·C + c]`):
    /// Float sums over runs of frames, added in Double.
    func addColumnSums(
        _ a: UnsafePointer<Float>, aCentre: UnsafePointer<Float>? = nil,
        times b: UnsafePointer<Float>? = nil, bCentre: UnsafePointer<Float>? = nil,
        frames range: Range<Int>, into totals: UnsafeMutablePointer<Double>
    ) {
        let C = channels
        withUnsafeTemporaryAllocation(of: Float.self, capacity: C) { buffer in
            let partial = buffer.baseAddress!
            var start = range.lowerBound
            while start < range.upperBound {
                let end = Swift.min(start &+ Self.runLength, range.upperBound)
                partial.update(repeating: 0, count: C)
                for t in start..<end {
                    let row = a + t &* C
                    if let b, let bCentre {
                        let other = b + t &* C
                        if let aCentre {
                            for c in 0..<C { partial[c] += (row[c] - aCentre[c]) * (other[c] - bCentre[c]) }
                        } else {
                            for c in 0..<C { partial[c] += row[c] * (other[c] - bCentre[c]) }
                        }
                    } else {
                        for c in 0..<C { partial[c] += row[c] }
                    }
                }
                for c in 0..<C { totals[c] += Double(partial[c]) }
                start = end
            }
        }
    }

    /// Per example, the chunks' per-channel sums `[batch · chunks, C]` added in chunk order,
    /// `[batch, C]`.
    func merged(_ partials: UnsafePointer<Double>, chunks: Int, into totals: UnsafeMutablePointer<Double>) {
        let C = channels
        totals.update(repeating: 0, count: batch &* C)
        for b in 0..<batch {
            for chunk in 0..<chunks {
                let source = partials + (b &* chunks &+ chunk) &* C
                for c in 0..<C { totals[b &* C &+ c] += source[c] }
            }
        }
    }

    /// Normalised output, and per (example, channel) its mean and inverse standard deviation:
    /// `[2, batch, channels]`, means first.
    func forward(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float) -> (Tensor, TensorStorage) {
        let (T, C, chunks) = (frames, channels, chunksPerExample)
        let statistics = TensorStorage(uninitializedCapacity: 2 &* batch &* C)
        let (source, w, bias) = (x.base, gamma.base, beta.base)
        let means = statistics.pointer, rstds = statistics.pointer + batch &* C
        let partials = UnsafeMutablePointer<Double>.allocate(capacity: batch &* chunks &* C)
        let totals = UnsafeMutablePointer<Double>.allocate(capacity: batch &* C)
        let scales = UnsafeMutablePointer<Float>.allocate(capacity: batch &* C)
        defer {
            partials.deallocate()
            totals.deallocate()
            scales.deallocate()
        }
        partials.update(repeating: 0, count: batch &* chunks &* C)
        forEachChunk(chunks) { b, range, unit in
            addColumnSums(source + b &* T &* C, frames: range, into: partials + unit &* C)
        }
        merged(partials, chunks: chunks, into: totals)
        for i in 0..<(batch &* C) { means[i] = Float(totals[i] / Double(T)) }
        partials.update(repeating: 0, count: batch &* chunks &* C)
        forEachChunk(chunks) { b, range, unit in
            let input = source + b &* T &* C, centre = UnsafePointer(means + b &* C)
            addColumnSums(
                input, aCentre: centre, times: input, bCentre: centre, frames: range,
                into: partials + unit &* C)
        }
        merged(partials, chunks: chunks, into: totals)
        for i in 0..<(batch &* C) {
            rstds[i] = inverseStandardDeviation(squares: totals[i], count: T, epsilon: epsilon)
            scales[i] = rstds[i] * w[i % C]
        }
        let out = Tensor.filling(x.shape) { y in
            forEachChunk(chunks) { b, range, _ in
                let (m, scale) = (means + b &* C, scales + b &* C)
                for t in range {
                    let (input, target) = (source + (b &* T &+ t) &* C, y + (b &* T &+ t) &* C)
                    for c in 0..<C { target[c] = (input[c] - m[c]) * scale[c] + bias[c] }
                }
            }
        }
        return (out, statistics)
    }

    /// Fused backward, as ``groupNorm(_:groupCount:weight:bias:epsilon:)``'s with one channel
    /// per group: per column `Σ dy` and `Σ dy·(x − mean)`, then
    /// `dx = rstd·γ·dy + q·(x − mean) + r` with `q = −rstd³·γ·Σ dy·(x − mean)/T` and
    /// `r = −rstd·γ·Σ dy/T`; `dγ_c = Σ_batch rstd·Σ dy·(x − mean)`, `dβ_c = Σ_batch Σ dy`.
    func backward(
        _ x: Tensor, _ upstream: Tensor, gamma: Tensor, statistics: TensorStorage, needsInput: Bool
    ) -> (Tensor?, Tensor, Tensor) {
        let (T, C, chunks, count) = (frames, channels, chunksPerExample, batch &* channels)
        let (source, dy, w) = (x.base, upstream.base, gamma.base)
        let means = statistics.pointer, rstds = statistics.pointer + count
        let partials = UnsafeMutablePointer<Double>.allocate(capacity: 2 &* batch &* chunks &* C)
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: 2 &* count)  // Σ dy, Σ dy·(x − mean)
        let coefficients = UnsafeMutablePointer<Float>.allocate(capacity: 3 &* count)  // p, q, r
        defer {
            partials.deallocate()
            sums.deallocate()
            coefficients.deallocate()
        }
        let second = partials + batch &* chunks &* C
        partials.update(repeating: 0, count: 2 &* batch &* chunks &* C)
        forEachChunk(chunks) { b, range, unit in
            let (gradient, input) = (dy + b &* T &* C, source + b &* T &* C)
            addColumnSums(gradient, frames: range, into: partials + unit &* C)
            addColumnSums(
                gradient, times: input, bCentre: UnsafePointer(means + b &* C), frames: range,
                into: second + unit &* C)
        }
        merged(partials, chunks: chunks, into: sums)
        merged(second, chunks: chunks, into: sums + count)
        let dWeight = Tensor.filling([C]) { out in
            for c in 0..<C {
                var total: Double = 0
                for b in 0..<batch { total += Double(rstds[b &* C &+ c]) * sums[count &+ b &* C &+ c] }
                out[c] = Float(total)
            }
        }
        let dBias = Tensor.filling([C]) { out in
            for c in 0..<C {
                var total: Double = 0
                for b in 0..<batch { total += sums[b &* C &+ c] }
                out[c] = Float(total)
            }
        }
        guard needsInput else { return (nil, dWeight, dBias) }
        for i in 0..<count {
            let rstd = Double(rstds[i]), gammaC = Double(w[i % C])
            coefficients[i] = Float(rstd * gammaC)
            coefficients[count &+ i] = Float(-rstd * rstd * rstd * gammaC * sums[count &+ i] / Double(T))
            coefficients[2 &* count &+ i] = Float(-rstd * gammaC * sums[i] / Double(T))
        }
        let dx = Tensor.filling(x.shape) { target in
            forEachChunk(chunks) { b, range, _ in
                let m = means + b &* C
                let p = coefficients + b &* C
                let (q, r) = (p + count, p + 2 &* count)
                for t in range {
                    let offset = (b &* T &+ t) &* C
                    let (g, input, out) = (dy + offset, source + offset, target + offset)
                    for c in 0..<C { out[c] = p[c] * g[c] + q[c] * (input[c] - m[c]) + r[c] }
                }
            }
        }
        return (dx, dWeight, dBias)
    }
}
