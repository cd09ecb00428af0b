import Foundation

/// The time-domain CQT kernels of one ``CQTConfiguration``, laid out for blocked GEMMs.
///
/// Kernel `k` is nnAudio's `create_cqt_kernels` row: `hann(l_k) · e^{2πi f_k n / sr} / l_k` for
/// `n = ⌊−l_k/2⌋ … ⌊l_k/2⌋ − 1`, normalised and rounded to Float32 (nnAudio stores complex64).
/// Every kernel is centred on `n = 0`, so their supports are nested: the lowest bin spans the
/// widest range and each higher bin a sub-range of it.
///
/// The union of supports, `n ∈ [supportStart, supportStart + blockCount · hop)`, is cut into
/// `blockCount` blocks of `hop` taps. Block `q` stores a `[hop, columns[q]]` row-major matrix
/// whose columns are `re_0, −im_0, re_1, −im_1, …` for the bins that reach into the block: a
/// prefix of the bins, because supports are nested. Frame `t` then needs samples
/// `t·hop + supportStart + q·hop + r`, which for all frames together is the signal viewed as
/// rows of `hop` samples starting at row `q`: one plain GEMM per block, no im2col copy.
final class CQTKernelBank: Sendable {
    /// Kernel length of each bin in samples.
    let lengths: [Int]
    /// Factor applied to each bin's real and imaginary parts before the magnitude.
    let outputScales: [Float]
    /// Kernel tap `n` of the first row of block 0 (negative: taps before the frame centre).
    let supportStart: Int
    /// Taps per block, the hop length.
    let blockTaps: Int
    /// Number of GEMM columns in each block (twice the bins that reach into it).
    let columns: [Int]
    /// Offset of each block's matrix in ``weights``.
    let offsets: [Int]
    /// All blocks, one after the other.
    let weights: [Float]

    var blockCount: Int { columns.count }

    init(_ configuration: CQTConfiguration) {
        let lengths = configuration.kernelLengths
        let frequencies = configuration.binFrequencies
        let hop = configuration.hopLength
        // Taps of kernel k run over firstTap[k] ..< firstTap[k] + lengths[k] (numpy's
        // `np.r_[-l//2 : l//2]`, so odd kernels reach one tap further left).
        let firstTaps = lengths.map { -(($0 + 1) / 2) }
        let supportStart = firstTaps.min() ?? 0
        let supportEnd = zip(firstTaps, lengths).map { $0 + $1 }.max() ?? 0
        let blockCount = (supportEnd - supportStart + hop - 1) / hop

        var columns = [Int](repeating: 0, count: blockCount)
        for (bin, (first, length)) in zip(firstTaps, lengths).enumerated() {
            let firstBlock = (first - supportStart) / hop
            let lastBlock = (first + length - 1 - supportStart) / hop
            for block in firstBlock...lastBlock {
                columns[block] = max(columns[block], 2 * bin + 2)
            }
        }
        var offsets = [Int](repeating: 0, count: blockCount)
        var total = 0
        for block in 0..<blockCount {
            offsets[block] = total
            total += hop * columns[block]
        }

        var weights = [Float](repeating: 0, count: total)
        for bin in lengths.indices {
            let taps = Self.kernel(
                length: lengths[bin], frequency: frequencies[bin],
                sampleRate: Double(configuration.sampleRate),
                normalization: configuration.kernelNormalization)
            for (index, tap) in taps.enumerated() {
                let row = firstTaps[bin] + index - supportStart
                let (block, r) = row.quotientAndRemainder(dividingBy: hop)
                let position = offsets[block] + r * columns[block] + 2 * bin
                // nnAudio computes the imaginary part as −conv1d(x, Im k).
                weights[position] = tap.real
                weights[position + 1] = -tap.imaginary
            }
        }

        self.lengths = lengths
        self.outputScales = lengths.map {
            switch configuration.outputScaling {
            // nnAudio multiplies by torch.sqrt of the float32 lengths.
            case .librosa: return Float($0).squareRoot()
            case .convolutional: return 1
            case .wrap: return 2
            }
        }
        self.supportStart = supportStart
        self.blockTaps = hop
        self.columns = columns
        self.offsets = offsets
        self.weights = weights
    }

    /// One complex kernel in Double, normalised, then rounded to Float32 like nnAudio's
    /// complex64 `tempKernel`.
    private static func kernel(
        length: Int, frequency: Double, sampleRate: Double,
        normalization: CQTKernelNormalization
    ) -> [(real: Float, imaginary: Float)] {
        let l = Double(length)
        let firstTap = -((length + 1) / 2)
        // scipy.signal.get_window("hann", l, fftbins=True): 0.5 + 0.5·cos over
        // linspace(−π, π, l + 1), last point dropped.
        let step = 2 * Double.pi / l
        var real = [Double](repeating: 0, count: length)
        var imaginary = [Double](repeating: 0, count: length)
        var l1 = 0.0
        var squares = 0.0
        for m in 0..<length {
            let window = 0.5 + 0.5 * cos(Double(m) * step - Double.pi)
            // nnAudio: n · 1j · 2 · π · freq / fs, evaluated left to right.
            let phase = Double(firstTap + m) * 2 * Double.pi * frequency / sampleRate
            real[m] = window * cos(phase) / l
            imaginary[m] = window * sin(phase) / l
            let magnitude = (real[m] * real[m] + imaginary[m] * imaginary[m]).squareRoot()
            l1 += magnitude
            squares += magnitude * magnitude
        }
        let norm: Double
        switch normalization {
        case .l1: norm = l1
        case .l2: norm = squares.squareRoot()
        case .none: norm = 1
        }
        // A one-tap Hann kernel is all zeros; keep it zero rather than 0/0.
        let divisor = norm > 0 ? norm : 1
        return (0..<length).map { (Float(real[$0] / divisor), Float(imaginary[$0] / divisor)) }
    }
}
