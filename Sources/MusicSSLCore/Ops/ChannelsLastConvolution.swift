// A strided 1-D convolution over channels-last frames, as wav2vec 2.0's feature extractor runs
// it: no padding, no dilation, one group. With channels last, the K input frames one output frame
// reads are one contiguous run of K·Cin floats, and consecutive output frames start stride·Cin
// floats apart, so the input itself is the column matrix of im2col, seen with a row stride: the
// taps are taken in runs of at most `stride` (rows of such a view do not overlap, as BLAS
// requires), one GEMM per run, and no column matrix is ever built. The backward passes are the
// same views: the input gradient is written through them (again without overlap) and the weight
// gradient reads them.

/// 1-D convolution (cross-correlation, as `torch.nn.functional.conv1d` without padding) of
/// channels-last frames.
///
/// `outFrames = ⌊(frames − kernel) / stride⌋ + 1`. The result equals
/// `conv1d(input.transposed(1, 2), weight:, stride:).transposed(1, 2)` up to rounding, without
/// the two transposes or an im2col copy.
///
/// - Parameters:
///   - input: `[batch, frames, inChannels]`.
///   - weight: `[outChannels, inChannels, kernel]`, PyTorch's `Conv1d` layout.
///   - stride: step between output frames, ≥ 1.
/// - Returns: `[batch, outFrames, outChannels]`.
/// - Throws: ``TensorError`` when a shape is inconsistent, the stride is below 1 or the input is
///   shorter than the kernel.
public func conv1dChannelsLast(_ input: Tensor, weight: Tensor, stride: Int) throws -> Tensor {
    let op = "conv1dChannelsLast"
    guard input.rank == 3, weight.rank == 3 else {
        throw TensorError(
            op, "expected input [batch, frames, channels] and weight [out, in, kernel], got "
                + "\(input.shape) and \(weight.shape)")
    }
    guard weight.shape[1] == input.shape[2], weight.shape[0] >= 1, weight.shape[2] >= 1 else {
        throw TensorError(
            op, "weight \(weight.shape) does not fit input \(input.shape) of "
                + "\(input.shape[2]) channels")
    }
    guard stride >= 1 else { throw TensorError(op, "stride must be ≥ 1, got \(stride)") }
    guard input.shape[1] >= weight.shape[2] else {
        throw TensorError(
            op, "input \(input.shape) has fewer frames than the kernel \(weight.shape[2])")
    }
    let geometry = FrameConvolution(
        batch: input.shape[0], inputFrames: input.shape[1], inputChannels: input.shape[2],
        outputChannels: weight.shape[0], kernel: weight.shape[2], stride: stride)
    let taps = geometry.tapMajor(weight)
    let out = geometry.forward(input, taps: taps)
    return Tensor.recording(op, out, inputs: [input, weight]) { upstream, needs in
        [
            needs[0] ? geometry.inputGradient(upstream, taps: taps) : nil,
            needs[1] ? geometry.weightGradient(input: input, upstream: upstream) : nil,
        ]
    }
}

/// Shape of one ``conv1dChannelsLast(_:weight:stride:)``, and its three passes.
///
/// Legend: `L` input frames, `T` output frames, `K` kernel taps, `s` stride, `Cin`/`Cout`
/// channels. Inside the passes the weight is tap-major, `[Cout, K, Cin]`, so that taps
/// `k..<k+n` of one output channel are `n·Cin` contiguous floats, matching the input's layout.
struct FrameConvolution {
    var batch: Int
    var inputFrames: Int
    var inputChannels: Int
    var outputChannels: Int
    var kernel: Int
    var stride: Int

    var outputFrames: Int { (inputFrames &- kernel) / stride &+ 1 }
    /// Floats per row of the tap-major weight.
    var tapRow: Int { kernel &* inputChannels }

    /// The taps in runs of at most `stride`: each run is one GEMM whose rows (one per output
    /// frame) do not overlap in the input.
    var tapRuns: [Range<Int>] {
        Swift.stride(from: 0, to: kernel, by: stride).map { $0..<Swift.min($0 &+ stride, kernel) }
    }

    /// `[Cout, Cin, K]` → `[Cout, K, Cin]`.
    func tapMajor(_ weight: Tensor) -> Tensor {
        let (Cin, K) = (inputChannels, kernel)
        let w = weight.base
        return Tensor.filling([outputChannels, K, Cin]) { out in
            for o in 0..<outputChannels {
                for c in 0..<Cin {
                    for k in 0..<K { out[(o &* K &+ k) &* Cin &+ c] = w[(o &* Cin &+ c) &* K &+ k] }
                }
            }
        }
    }

    /// True when a window holds so few floats (the waveform layer: 1 channel × 10 taps) that
    /// copying the windows into one column matrix `[T, K·Cin]` and running one GEMM beats a GEMM
    /// per run of taps with an inner dimension of a few floats.
    var gathersWindows: Bool { tapRow <= 64 && tapRuns.count > 1 }

    /// `Y_b[T, Cout] = Σ_runs X_b(run view)[T, n·Cin] · W_run[Cout, n·Cin]ᵀ`.
    func forward(_ input: Tensor, taps: Tensor) -> Tensor {
        let (L, T, Cin, Cout) = (inputFrames, outputFrames, inputChannels, outputChannels)
        let (x, w) = (input.base, taps.base)
        if gathersWindows {
            let windows = TensorStorage(uninitializedCapacity: T &* tapRow)
            let (columns, row, step) = (windows.pointer, tapRow, stride &* Cin)
            defer { withExtendedLifetime(windows) {} }
            return Tensor.filling([batch, T, Cout]) { y in
                for b in 0..<batch {
                    let source = x + b &* L &* Cin
                    parallelChunks(T, cost: row) { frames in
                        for t in frames { (columns + t &* row).update(from: source + t &* step, count: row) }
                    }
                    gemm(transposeA: false, transposeB: true, M: T, N: Cout, K: row,
                         columns, lda: row, w, ldb: row, y + b &* T &* Cout, ldc: Cout)
                }
            }
        }
        return Tensor.filling([batch, T, Cout]) { y in
            for b in 0..<batch {
                for (index, run) in tapRuns.enumerated() {
                    gemm(transposeA: false, transposeB: true,
                         M: T, N: Cout, K: run.count &* Cin,
                         x + (b &* L &+ run.lowerBound) &* Cin, lda: stride &* Cin,
                         w + run.lowerBound &* Cin, ldb: tapRow,
                         beta: index == 0 ? 0 : 1, y + b &* T &* Cout, ldc: Cout)
                }
            }
        }
    }

    /// `dX_b(run view)[T, n·Cin] += dY_b[T, Cout] · W_run[Cout, n·Cin]`, each run's view
    /// written without overlap; frames no tap reads keep a zero gradient.
    func inputGradient(_ upstream: Tensor, taps: Tensor) -> Tensor {
        let (L, T, Cin, Cout) = (inputFrames, outputFrames, inputChannels, outputChannels)
        let runs = tapRuns
        // The first run covers frames 0..<T·s exactly when it holds `stride` taps; it then
        // overwrites them (beta 0) and only the frames after need zeros.
        let firstCovers = runs[0].count == stride
        let (dy, w) = (upstream.base, taps.base)
        return Tensor.filling([batch, L, Cin]) { dx in
            for b in 0..<batch {
                let target = dx + b &* L &* Cin
                if firstCovers {
                    let covered = T &* stride &* Cin
                    (target + covered).update(repeating: 0, count: L &* Cin &- covered)
                } else {
                    target.update(repeating: 0, count: L &* Cin)
                }
                for (index, run) in runs.enumerated() {
                    gemm(transposeA: false, transposeB: false,
                         M: T, N: run.count &* Cin, K: Cout,
                         dy + b &* T &* Cout, lda: Cout,
                         w + run.lowerBound &* Cin, ldb: tapRow,
                         beta: index == 0 && firstCovers ? 0 : 1,
                         target + run.lowerBound &* Cin, ldc: stride &* Cin)
                }
            }
        }
    }

    /// `dW_run[Cout, n·Cin] = Σ_b dY_b[T, Cout]ᵀ · X_b(run view)[T, n·Cin]`, returned in
    /// PyTorch's `[Cout, Cin, K]` layout.
    func weightGradient(input: Tensor, upstream: Tensor) -> Tensor {
        let (L, T, Cin, Cout, K) = (inputFrames, outputFrames, inputChannels, outputChannels, kernel)
        let (x, dy) = (input.base, upstream.base)
        let tapGradient = Tensor.filling([Cout, K, Cin]) { dw in
            if batch == 0 { dw.update(repeating: 0, count: Cout &* K &* Cin) }
            for b in 0..<batch {
                for run in tapRuns {
                    gemm(transposeA: true, transposeB: false,
                         M: Cout, N: run.count &* Cin, K: T,
                         dy + b &* T &* Cout, lda: Cout,
                         x + (b &* L &+ run.lowerBound) &* Cin, ldb: stride &* Cin,
                         beta: b == 0 ? 0 : 1, dw + run.lowerBound &* Cin, ldc: tapRow)
                }
            }
        }
        let g = tapGradient.base
        return Tensor.filling([Cout, Cin, K]) { out in
            for o in 0..<Cout {
                for c in 0..<Cin {
                    for k in 0..<K { out[(o &* Cin &+ c) &* K &+ k] = g[(o &* K &+ k) &* Cin &+ c] }
                }
            }
            withExtendedLifetime(tapGradient) {}
        }
    }
}
