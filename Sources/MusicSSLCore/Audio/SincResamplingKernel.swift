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

    /// Builds the kernel in Float64 and rounds it to Float32, as `torchaudio.transforms.Resample`
    /// does with its default `dtype=None`.
    ///
    /// Rates are the reduced ones (divided by their gcd); the parameters are already checked.
    init(
        inputStride: Int, phaseCount: Int, lowpassFilterWidth: Int, rolloff: Double,
        window: SincResampler.Window
    ) {
        let R = Double(inputStride)
        let filterWidth = Double(lowpassFilterWidth)
        // The cutoff, as a rate at the reduced scale: the lower Nyquist times the rolloff.
        let baseRate = Double(min(inputStride, phaseCount)) * rolloff
        let width = Int((filterWidth * R / baseRate).rounded(.up))
        let windowLength = 2 * width + inputStride
        let scale = baseRate / R
        let windowFunction = SincWindow(window: window, lowpassFilterWidth: filterWidth)

        var tapStarts: [Int] = []
        var tapOffsets = [0]
        var weights: [Float] = []
        tapStarts.reserveCapacity(phaseCount)
        tapOffsets.reserveCapacity(phaseCount + 1)
        for phase in 0..<phaseCount {
            // torchaudio divides the integer phase by new_freq in the default dtype (Float32)
            // before adding the Float64 column times, so that term is rounded to Float32 first.
            let phaseTime = Double(Float(-phase) / Float(phaseCount))
            // Columns near the phase's instant; the exact bounds come from `t` itself below.
            let centre = Double(width) + R * Double(phase) / Double(phaseCount)
            let reach = R * filterWidth / baseRate
            let low = max(0, Int((centre - reach).rounded(.down)) - 1)
            let high = min(windowLength - 1, Int((centre + reach).rounded(.up)) + 1)
            var start = -1
            if low <= high {
                for column in low...high {
                    let t = (phaseTime + Double(column - width) / R) * baseRate
                    guard abs(t) < filterWidth else { continue }
                    if start < 0 { start = column }
                    weights.append(Float(Self.weight(t: t, scale: scale, window: windowFunction)))
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

    /// One Float64 weight at scaled time `t` (|t| < lowpassFilterWidth), in torchaudio's order
    /// of operations: window(t), then sinc(π·t) · (window · scale).
    private static func weight(t: Double, scale: Double, window: SincWindow) -> Double {
        let windowValue = window(t)
        let x = t * Double.pi
        let sinc = x == 0 ? 1 : sin(x) / x
        return sinc * (windowValue * scale)
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
