/// Constant-Q transform magnitude, as nnAudio's `CQT1992v2` computes it.
///
/// nnAudio convolves the (padded) signal with every bin's complex time-domain kernel at stride
/// `hopLength` and returns `√(re² + im²)` per bin and frame. This does the same arithmetic in
/// Float32 with one GEMM per block of `hop` kernel taps (see `CQTKernelBank`); results agree
/// with nnAudio to Float32 rounding of the long sums. The kernels are built once, in `init`.
///
/// ```swift
/// let cqt = try ConstantQTransform(configuration: .mert)
/// let magnitude = try cqt(samples24kHz)   // [⌊N / 320⌋ + 1, 336]
/// ```
public struct ConstantQTransform: Sendable {
    /// The settings the kernels were built for.
    public let configuration: CQTConfiguration
    private let bank: CQTKernelBank

    /// Frames computed per round of block GEMMs; bounds the working memory to a few MB.
    private static let framesPerChunk = 512

    /// Builds the kernels of `configuration` (about 30 MB of Float32 for ``CQTConfiguration/mert``).
    ///
    /// - Throws: ``TensorError`` when the configuration fails ``CQTConfiguration/validate()``.
    public init(configuration: CQTConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        self.bank = CQTKernelBank(configuration)
    }

    /// Centre frequency of each bin in Hz.
    public var binFrequencies: [Double] { configuration.binFrequencies }

    /// The CQT magnitude of a mono signal.
    ///
    /// - Parameter samples: `[samples]` at ``CQTConfiguration/sampleRate``.
    /// - Returns: `[frames, binCount]`, frames as ``CQTConfiguration/frameCount(sampleCount:)``.
    /// - Throws: ``TensorError`` when `samples` is not one-dimensional, is empty, is too short
    ///   for ``CQTPadding/reflect`` (at most half ``CQTConfiguration/kernelWidth``, which torch's
    ///   reflection padding refuses too) or for ``CQTPadding/none`` (shorter than the kernel width).
    public func callAsFunction(_ samples: Tensor) throws -> Tensor {
        guard samples.rank == 1 else {
            throw TensorError("ConstantQTransform", "expected [samples], got \(samples.shape)")
        }
        return try samples.withUnsafeBufferPointer { try transform($0) }
    }

    /// The CQT magnitude of a mono signal given as an array; see ``callAsFunction(_:)-(Tensor)``.
    public func callAsFunction(_ samples: [Float]) throws -> Tensor {
        try samples.withUnsafeBufferPointer { try transform($0) }
    }

    private func transform(_ signal: UnsafeBufferPointer<Float>) throws -> Tensor {
        let op = "ConstantQTransform"
        let sampleCount = signal.count
        let width = configuration.kernelWidth
        guard sampleCount > 0 else { throw TensorError(op, "the signal is empty") }
        switch configuration.padding {
        case .reflect where sampleCount <= width / 2:
            throw TensorError(
                op,
                "reflection padding of \(width / 2) samples needs a longer signal than "
                    + "\(sampleCount) samples; use constant padding")
        case .none where sampleCount < width:
            throw TensorError(
                op,
                "without padding the signal must hold at least \(width) samples, got "
                    + "\(sampleCount)")
        default: break
        }
        let frameCount = configuration.frameCount(sampleCount: sampleCount)
        let binCount = configuration.binCount
        // Sample index of frame 0's centre.
        let firstCentre = configuration.padding == .none ? width / 2 : 0
        return Tensor.filling([frameCount, binCount]) { output in
            var frame = 0
            while frame < frameCount {
                let frames = min(Self.framesPerChunk, frameCount - frame)
                computeChunk(
                    signal, firstFrame: frame, frames: frames, firstCentre: firstCentre,
                    into: output + frame * binCount)
                frame += frames
            }
        }
    }

    /// Magnitudes of frames `firstFrame ..< firstFrame + frames` into `output` `[frames, bins]`.
    private func computeChunk(
        _ signal: UnsafeBufferPointer<Float>, firstFrame: Int, frames: Int, firstCentre: Int,
        into output: UnsafeMutablePointer<Float>
    ) {
        let hop = bank.blockTaps
        let binCount = configuration.binCount
        let width = 2 * binCount
        // rows[j] is the padded signal at firstCentre + firstFrame·hop + supportStart + j, so
        // frame t's taps in block q are the `hop` samples of row t + q.
        let rowCount = frames + bank.blockCount - 1
        let origin = firstCentre + firstFrame * hop + bank.supportStart
        let rows = UnsafeMutablePointer<Float>.allocate(capacity: rowCount * hop)
        defer { rows.deallocate() }
        for j in 0..<(rowCount * hop) { rows[j] = paddedSample(signal, at: origin + j) }

        // [frames, re_0, −im_0, re_1, …] accumulated over blocks.
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: frames * width)
        defer { sums.deallocate() }
        sums.initialize(repeating: 0, count: frames * width)
        bank.weights.withUnsafeBufferPointer { weights in
            guard let base = weights.baseAddress else { return }
            for block in 0..<bank.blockCount where bank.columns[block] > 0 {
                gemm(
                    transposeA: false, transposeB: false, M: frames, N: bank.columns[block],
                    K: hop, rows + block * hop, lda: hop, base + bank.offsets[block],
                    ldb: bank.columns[block], beta: 1, sums, ldc: width)
            }
        }
        for t in 0..<frames {
            for bin in 0..<binCount {
                let scale = bank.outputScales[bin]
                let real = sums[t * width + 2 * bin] * scale
                let imaginary = sums[t * width + 2 * bin + 1] * scale
                output[t * binCount + bin] = (real * real + imaginary * imaginary).squareRoot()
            }
        }
    }

    /// Sample `index` of the signal extended by the configured padding (zero past a reflected
    /// range, where only zero kernel taps of the last block can land).
    @inline(__always)
    private func paddedSample(_ signal: UnsafeBufferPointer<Float>, at index: Int) -> Float {
        let count = signal.count
        if index >= 0 && index < count { return signal[index] }
        guard configuration.padding == .reflect else { return 0 }
        // torch.nn.ReflectionPad1d: x[-i] before the start, x[2(N − 1) − i] past the end.
        let mirrored = index < 0 ? -index : 2 * (count - 1) - index
        return mirrored >= 0 && mirrored < count ? signal[mirrored] : 0
    }
}
