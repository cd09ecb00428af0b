// The passes of a grouped 1-D convolution: im2col + GEMM forward, and the two GEMMs of its
// backward (weight gradient, and input gradient followed by a col2im scatter-add).
// conv1d runs `convolutionForward`; its pullback runs the two gradient passes. convTranspose1d
// is conv1d's input gradient, so it runs the same three passes with the roles swapped.

/// Shape of one grouped 1-D convolution, always seen from conv1d's side: it maps
/// `[batch, inputChannels, inputFrames]` to `[batch, outputChannels, outputFrames]` with a weight
/// `[outputChannels, inputChannels / groups, kernel]`.
///
/// Legend inside kernels: `K` kernel taps, `L` input frames, `T` output frames, `s` stride.
struct ConvolutionGeometry {
    var batch: Int
    var inputChannels: Int
    var outputChannels: Int
    var inputFrames: Int
    var outputFrames: Int
    var kernel: Int
    var stride: Int
    var padding: Int
    var dilation: Int
    var groups: Int

    var groupInputChannels: Int { inputChannels / groups }
    var groupOutputChannels: Int { outputChannels / groups }
    /// Rows of one group's column matrix: one per (input channel, kernel tap).
    var columnRows: Int { groupInputChannels &* kernel }
    /// Elements of one group's weight block `[groupOutputChannels, columnRows]`.
    var groupWeightCount: Int { groupOutputChannels &* columnRows }
    /// True when the column matrix is the input itself, so im2col and col2im are skipped.
    var isPointwise: Bool {
        kernel == 1 && stride == 1 && padding == 0 && inputFrames == outputFrames
    }

    /// For kernel tap `k`: the input frame of output frame `t` is `t·s + offset`, and `frames`
    /// are the output frames whose input frame lies inside `0..<inputFrames`.
    @inline(__always)
    func tap(_ k: Int) -> (offset: Int, frames: Range<Int>) {
        let offset = k &* dilation &- padding
        let lower = offset >= 0 ? 0 : (stride &- 1 &- offset) / stride
        let upper = offset >= inputFrames
            ? 0 : Swift.min(outputFrames, (inputFrames &- 1 &- offset) / stride &+ 1)
        return (offset, Swift.min(lower, upper)..<upper)
    }

    /// Writes one group's column matrix `[columnRows, T]` from its input channels `[Cin/g, L]`;
    /// padding positions become zeros.
    func im2col(_ x: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
        let K = kernel, L = inputFrames, T = outputFrames, s = stride
        parallelChunks(columnRows, cost: T) { rows in
            for row in rows {
                let c = row / K
                let (offset, frames) = tap(row &- c &* K)
                let source = x + c &* L
                let target = columns + row &* T
                target.update(repeating: 0, count: frames.lowerBound)
                if s == 1 {
                    (target + frames.lowerBound).update(
                        from: source + (frames.lowerBound &+ offset), count: frames.count)
                } else {
                    for t in frames { target[t] = source[t &* s &+ offset] }
                }
                (target + frames.upperBound).update(repeating: 0, count: T &- frames.upperBound)
            }
        }
    }

    /// Adds one group's column matrix `[columnRows, T]` into its input channels `[Cin/g, L]`:
    /// the adjoint of ``im2col(_:into:)``. Parallel over channels, which never share a target.
    func col2im(_ columns: UnsafePointer<Float>, addingInto x: UnsafeMutablePointer<Float>) {
        let K = kernel, L = inputFrames, T = outputFrames, s = stride
        parallelChunks(groupInputChannels, cost: K &* T) { channels in
            for c in channels {
                let target = x + c &* L
                for k in 0..<K {
                    let (offset, frames) = tap(k)
                    let source = columns + (c &* K &+ k) &* T
                    for t in frames { target[t &* s &+ offset] += source[t] }
                }
            }
        }
    }
}

/// A `[batch, channels, frames]` tensor holding `values[channel]` in every frame, zeros when
/// `values` is nil, or (with `zeroing` false and no values) uninitialised memory for a pass
/// that overwrites it.
func channelFilled(_ shape: [Int], with values: Tensor?, zeroing: Bool = true) -> Tensor {
    Tensor.filling(shape) { out in
        let batch = shape[0], channels = shape[1], frames = shape[2]
        guard let values else {
            if zeroing { out.update(repeating: 0, count: batch &* channels &* frames) }
            return
        }
        let v = values.base
        parallelChunks(batch &* channels, cost: frames) { rows in
            for row in rows {
                (out + row &* frames).update(repeating: v[row % channels], count: frames)
            }
        }
    }
}

/// Σ over batch and frames of `[batch, channels, frames]`: the gradient of a per-channel bias.
func channelSums(_ x: Tensor) -> Tensor {
    let batch = x.shape[0], channels = x.shape[1], frames = x.shape[2]
    let source = x.base
    return Tensor.filling([channels]) { out in
        parallelChunks(channels, cost: batch &* frames) { range in
            for c in range {
                var total: Double = 0
                for b in 0..<batch {
                    total += Double(sumContiguous(source + (b &* channels &+ c) &* frames, frames))
                }
                out[c] = Float(total)
            }
        }
    }
}

/// conv1d's output `[batch, Cout, T]` from `input` `[batch, Cin, L]` and `weight`
/// `[Cout, Cin/g, K]`: per batch element and group, `W_g [Cout/g, Cin/g·K] · cols [Cin/g·K, T]`.
func convolutionForward(
    _ input: Tensor, weight: Tensor, bias: Tensor?, _ geometry: ConvolutionGeometry
) -> Tensor {
    let g = geometry
    let (L, T) = (g.inputFrames, g.outputFrames)
    // Without a bias the GEMM (beta = 0) writes every element.
    let out = channelFilled([g.batch, g.outputChannels, T], with: bias, zeroing: false)
    let scratch = TensorStorage(uninitializedCapacity: g.isPointwise ? 0 : g.columnRows &* T)
    let (x, w, y) = (input.base, weight.base, out.base)
    for b in 0..<g.batch {
        for group in 0..<g.groups {
            let source = x + (b &* g.inputChannels &+ group &* g.groupInputChannels) &* L
            var columns = UnsafePointer(source)
            if !g.isPointwise {
                g.im2col(source, into: scratch.pointer)
                columns = UnsafePointer(scratch.pointer)
            }
            gemm(transposeA: false, transposeB: false,
                 M: g.groupOutputChannels, N: T, K: g.columnRows,
                 w + group &* g.groupWeightCount, lda: g.columnRows, columns, ldb: T,
                 beta: bias == nil ? 0 : 1,
                 y + (b &* g.outputChannels &+ group &* g.groupOutputChannels) &* T, ldc: T)
        }
    }
    withExtendedLifetime(scratch) {}
    return out
}

/// The gradient of conv1d's input, `[batch, Cin, L]`, from `upstream` `[batch, Cout, T]`:
/// `cols = W_gᵀ · dY_g`, scattered back by col2im. `initial` (per input channel) seeds the
/// result instead of zeros, which convTranspose1d uses for its bias.
func convolutionInputGradient(
    _ upstream: Tensor, weight: Tensor, initial: Tensor?, _ geometry: ConvolutionGeometry
) -> Tensor {
    let g = geometry
    let (L, T) = (g.inputFrames, g.outputFrames)
    let out = channelFilled([g.batch, g.inputChannels, L], with: initial)
    let scratch = TensorStorage(uninitializedCapacity: g.isPointwise ? 0 : g.columnRows &* T)
    let (dy, w, dx) = (upstream.base, weight.base, out.base)
    for b in 0..<g.batch {
        for group in 0..<g.groups {
            let target = dx + (b &* g.inputChannels &+ group &* g.groupInputChannels) &* L
            let gradient = dy + (b &* g.outputChannels &+ group &* g.groupOutputChannels) &* T
            let block = w + group &* g.groupWeightCount
            if g.isPointwise {
                gemm(transposeA: true, transposeB: false,
                     M: g.columnRows, N: T, K: g.groupOutputChannels,
                     block, lda: g.columnRows, gradient, ldb: T, beta: 1, target, ldc: L)
            } else {
                gemm(transposeA: true, transposeB: false,
                     M: g.columnRows, N: T, K: g.groupOutputChannels,
                     block, lda: g.columnRows, gradient, ldb: T, scratch.pointer, ldc: T)
                g.col2im(scratch.pointer, addingInto: target)
            }
        }
    }
    withExtendedLifetime(scratch) {}
    return out
}

/// The gradient of conv1d's weight, `[Cout, Cin/g, K]`, from its `input` `[batch, Cin, L]` and
/// `upstream` `[batch, Cout, T]`: `Σ_batch dY_g · colsᵀ`, the columns rebuilt rather than saved.
func convolutionWeightGradient(
    input: Tensor, upstream: Tensor, _ geometry: ConvolutionGeometry
) -> Tensor {
    let g = geometry
    let (L, T) = (g.inputFrames, g.outputFrames)
    let scratch = TensorStorage(uninitializedCapacity: g.isPointwise ? 0 : g.columnRows &* T)
    let (x, dy) = (input.base, upstream.base)
    let out = Tensor.filling([g.outputChannels, g.groupInputChannels, g.kernel]) { dw in
        if g.batch == 0 { dw.update(repeating: 0, count: g.groups &* g.groupWeightCount) }
        for b in 0..<g.batch {
            for group in 0..<g.groups {
                let source = x + (b &* g.inputChannels &+ group &* g.groupInputChannels) &* L
                var columns = UnsafePointer(source)
                if !g.isPointwise {
                    g.im2col(source, into: scratch.pointer)
                    columns = UnsafePointer(scratch.pointer)
                }
                gemm(transposeA: false, transposeB: true,
                     M: g.groupOutputChannels, N: g.columnRows, K: T,
                     dy + (b &* g.outputChannels &+ group &* g.groupOutputChannels) &* T, lda: T,
                     columns, ldb: T, beta: b == 0 ? 0 : 1,
                     dw + group &* g.groupWeightCount, ldc: g.columnRows)
            }
        }
    }
    withExtendedLifetime(scratch) {}
    return out
}
