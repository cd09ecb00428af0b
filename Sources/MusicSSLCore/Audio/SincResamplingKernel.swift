import Foundation

/// torchaudio's polyphase sinc kernel for one pair of reduced rates, stored sparsely.
///
/// torchaudio (`_get_sinc_resample_kernel`) builds a dense [phases, taps] kernel, one row per
/// output phase `p` and `taps = 2·width + inputStride` columns, where column `k` weighs padded
/// input sample `k` of a block. Only the columns whose scaled time `t` lies strictly inside
/// (−lowpassFilterWidth, lowpassFilterWidth) carry weight: outside, `t` is clamped to the edge,
/// where the Hann window is exactly 0 in Float32 and the Kaiser window leaves weights below
/// 1e-20. Each row keeps only that contiguous run: `weights[tapOffsets[p]..<tapOffsets[p + 1]]`
/// are the columns `tapStarts[p]...`.
struct SincResamplingKernel: Sendable {
    /// Input samples per block: the input rate divided by the gcd of the rates (`orig_freq`).
    let inputStride: Int
    /// Output samples per block: the output rate divided by the gcd (`new_freq`).
    let phaseCount: Int
    /// Zeros padded before the input, and `width + inputStride` after it (torchaudio `width`).
    let width: Int
    /// The dense kernel's row length, `2·width + inputStride`.
    let windowLength: Int
    /// Per phase, the first column that carries weight.
    let tapStarts: [Int]
    /// Per phase, where its weights start in ``weights``; `phaseCount + 1` entries.
    let tapOffsets: [Int]
    /// The weights of every phase, one run after another, Float32 as torchaudio applies them.
    let weights: [Float]

    /// Builds the kernel as torchaudio does at `precision` and keeps its weights in Float32.
    ///
    /// Rates are the reduced ones (divided by their gcd); the parameters are already checked.
    init(
        inputStride: Int, phaseCount: Int, lowpassFilterWidth: Int, rolloff: Double,
        window: SincResampler.Window, precision: SincResampler.KernelPrecision
    ) {
        let R = Double(inputStride)
        let filterWidth = Double(lowpassFilterWidth)
        // The cutoff, as a rate at the reduced scale: the lower Nyquist times the rolloff.
        let baseRate = Double(min(inputStride, phaseCount)) * rolloff
        let width = Int((filterWidth * R / baseRate).rounded(.up))
        let windowLength = 2 * width + inputStride
        let formula = SincKernelFormula(
            inputStride: inputStride, phaseCount: phaseCount, width: width,
            lowpassFilterWidth: filterWidth, baseRate: baseRate,
            window: SincWindow(window: window, lowpassFilterWidth: filterWidth))

        var tapStarts: [Int] = []
        var tapOffsets = [0]
        var weights: [Float] = []
        tapStarts.reserveCapacity(phaseCount)
        tapOffsets.reserveCapacity(phaseCount + 1)
        for phase in 0..<phaseCount {
            // Columns near the phase's instant; the exact bounds come from `t` itself.
            let centre = Double(width) + R * Double(phase) / Double(phaseCount)
            let reach = R * filterWidth / baseRate
            let low = max(0, Int((centre - reach).rounded(.down)) - 1)
            let high = min(windowLength - 1, Int((centre + reach).rounded(.up)) + 1)
            var start = -1
            if low <= high {
                for column in low...high {
                    let weight =
                        switch precision {
                        case .float64: formula.float64Weight(phase: phase, column: column)
                        case .float32: formula.float32Weight(phase: phase, column: column)
                        }
                    guard let weight else { continue }
                    if start < 0 { start = column }
                    weights.append(weight)
                }
            }
            tapStarts.append(max(start, 0))
            tapOffsets.append(weights.count)
        }
        self.inputStride = inputStride
        self.phaseCount = phaseCount
        self.width = width
        self.windowLength = windowLength
        self.tapStarts = tapStarts
        self.tapOffsets = tapOffsets
        self.weights = weights
    }
}

/// torchaudio's kernel entry for one phase and column, in its order of operations:
/// `t = (column − width) / orig − phase / new`, scaled by the cutoff and clamped; then
/// `sinc(π·t) · (window(t) · cutoff / orig)`.
private struct SincKernelFormula {
    let inputStride: Int
    let phaseCount: Int
    let width: Int
    let lowpassFilterWidth: Double
    let baseRate: Double
    let window: SincWindow

    /// The entry as `transforms.Resample` computes it (dtype None): in Float64, except
    /// `phase / new`, which torchaudio divides in the default dtype, Float32, before adding the
    /// Float64 column times. `nil` where `t` is clamped (weight 0 with Hann, below 1e-20 with
    /// Kaiser).
    func float64Weight(phase: Int, column: Int) -> Float? {
        let phaseTime = Double(Float(-phase) / Float(phaseCount))
        let t = (phaseTime + Double(column - width) / Double(inputStride)) * baseRate
        guard abs(t) < lowpassFilterWidth else { return nil }
        let windowValue = window(t)
        let x = t * Double.pi
        let sinc = x == 0 ? 1 : sin(x) / x
        return Float(sinc * (windowValue * (baseRate / Double(inputStride))))
    }

    /// The entry as `functional.resample` computes it for a Float32 waveform: every tensor
    /// operation in Float32, Python scalars rounded to Float32 where they meet a tensor.
    func float32Weight(phase: Int, column: Int) -> Float? {
        let phaseTime = Float(-phase) / Float(phaseCount)
        let columnTime = Float(column - width) / Float(inputStride)
        let t = (phaseTime + columnTime) * Float(baseRate)
        guard abs(t) < Float(lowpassFilterWidth) else { return nil }
        let windowValue = window.float32(t)
        let x = t * Float.pi
        let sinc: Float = x == 0 ? 1 : sin(x) / x
        return sinc * (windowValue * Float(baseRate / Double(inputStride)))
    }
}

/// The window of torchaudio's kernel evaluated at scaled time `t`, |t| < lowpassFilterWidth.
private struct SincWindow {
    let window: SincResampler.Window
    let lowpassFilterWidth: Double
    /// torchaudio's Kaiser divisor, `i0(beta)` computed on a Float32 `beta` in Float32.
    let kaiserNormalizer: Double

    init(window: SincResampler.Window, lowpassFilterWidth: Double) {
        self.window = window
        self.lowpassFilterWidth = lowpassFilterWidth
        if case .kaiser(let beta) = window {
            let beta32 = Double(Float(beta))
            kaiserNormalizer = Double(Float(besselI0(beta32)))
        } else {
            kaiserNormalizer = 1
        }
    }

    /// The window in Float32 arithmetic (`functional.resample` on a Float32 waveform); the
    /// Bessel function is evaluated in Float64 and rounded.
    func float32(_ t: Float) -> Float {
        let width = Float(lowpassFilterWidth)
        switch window {
        case .hann:
            let c = cos(t * Float.pi / width / 2)
            return c * c
        case .kaiser(let beta):
            let ratio = t / width
            let argument = Float(beta) * (1 - ratio * ratio).squareRoot()
            return Float(besselI0(Double(argument))) / Float(kaiserNormalizer)
        }
    }

    func callAsFunction(_ t: Double) -> Double {
        switch window {
        case .hann:
            let c = cos(t * Double.pi / lowpassFilterWidth / 2)
            return c * c
        case .kaiser(let beta):
            // torchaudio's beta is a Float32 scalar tensor, promoted when multiplied by `t`.
            let ratio = t / lowpassFilterWidth
            let argument = Double(Float(beta)) * (1 - ratio * ratio).squareRoot()
            return besselI0(argument) / kaiserNormalizer
        }
    }
}

/// The modified Bessel function of the first kind, order 0, by its power series
/// Σ ((x/2)²)ᵏ / (k!)², to Float64 precision for the arguments a Kaiser window uses (|x| < 50).
func besselI0(_ x: Double) -> Double {
    let quarterSquare = x * x / 4
    var term = 1.0
    var sum = 1.0
    var k = 1.0
    while term > sum * 1e-17 {
        term *= quarterSquare / (k * k)
        sum += term
        k += 1
    }
    return sum
}
