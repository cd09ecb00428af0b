/// Converts mono audio between sample rates exactly as `torchaudio.functional.resample` and
/// `torchaudio.transforms.Resample` do: a windowed-sinc filter applied as a strided polyphase
/// convolution.
///
/// MARBLE resamples every file with `torchaudio.transforms.Resample(sr, target_sr)` before
/// extracting probe features (probe-spec §1.2); this type reproduces that step, so features
/// computed from its output match MARBLE's. What it reproduces, in torchaudio's terms:
///
/// - the rates are divided by their gcd, `orig` and `new`; the cutoff is ``rolloff`` times the
///   lower Nyquist frequency, `base = rolloff · min(orig, new)` at the reduced scale;
/// - the kernel is `sinc(π·t) · window(t) · base / orig` at `t = base · ((k − width) / orig −
///   p / new)` for column `k` and output phase `p`, clamped to ±``lowpassFilterWidth`` zero
///   crossings, built in Float64 and rounded to Float32 (the transform's default `dtype=None`;
///   ``KernelPrecision/float32`` builds it in Float32 as the functional form does for a Float32
///   waveform);
/// - the input is padded with `width = ceil(lowpassFilterWidth · orig / base)` zeros before and
///   `width + orig` after, convolved with stride `orig`, and cut to `ceil(new · n / orig)`
///   samples.
///
/// Weights whose time is clamped are skipped: they are exactly 0 with the Hann window and below
/// 1e-20 with the Kaiser window. Kernels are cached per (rates, filter) pair, so the first call
/// for a pair pays for building it.
///
/// Against libsamplerate's ``Resampler``: the output is time-aligned the same way (output sample
/// `k` is the signal at `k / outputRate` s) but is `ceil` rather than `round` samples long, and
/// torchaudio's filter is far weaker (after 44.1 → 16 kHz a 7 kHz tone loses 1.8 dB, an 8.5 kHz
/// one aliases only 10.8 dB down and a 10 kHz one 45 dB down, against `.best`'s 154 dB).
/// Use ``Resampler`` where audio quality matters and this type where parity with MARBLE or
/// speed does.
///
/// ```swift
/// let clip = try AudioDecoder.read(url)
/// let samples = try SincResampler().resample(clip.samples, from: clip.sampleRate, to: 16_000)
/// ```
public struct SincResampler: Sendable {
    /// The largest term of the reduced rate ratio (`inputRate / gcd`, `outputRate / gcd`) that
    /// ``resample(_:from:to:)`` accepts. The kernel's phases and the padded input scale with
    /// these terms, so every rate up to 65.536 kHz converts to any other, as do the usual higher
    /// ones (96 or 192 kHz to 16, 22.05 or 24 kHz); a coprime pair beyond, such as a forged
    /// header's 4,205,329 Hz to 16 kHz, would need gigabytes and is refused.
    public static let maximumPeriod = 65_536

    /// The window tapering the sinc, torchaudio's `resampling_method`.
    public enum Window: Sendable, Hashable {
        /// `sinc_interp_hann`: cos²(π·t / (2·width)); torchaudio's default and MARBLE's.
        case hann
        /// `sinc_interp_kaiser`: I₀(β·√(1 − (t/width)²)) / I₀(β).
        case kaiser(beta: Double)

        /// torchaudio's β when `sinc_interp_kaiser` is given no `beta`.
        public static let defaultKaiserBeta = 14.769656459379492

        /// `sinc_interp_kaiser` with torchaudio's default β.
        public static var kaiser: Window { .kaiser(beta: defaultKaiserBeta) }
    }

    /// The precision torchaudio builds the kernel in before applying it in Float32; the two
    /// differ by up to about 2.3e-5 in the output of a signal of unit scale.
    public enum KernelPrecision: Sendable, Hashable {
        /// Float64, rounded to Float32: `torchaudio.transforms.Resample` with its default
        /// `dtype=None`, which MARBLE uses; the default.
        case float64
        /// Float32 throughout: `torchaudio.functional.resample` on a Float32 waveform (the
        /// kernel takes the waveform's dtype), as `Benchmarks/reference_extract.py` calls it.
        case float32
    }

    /// Zero crossings of the sinc kept on each side (torchaudio `lowpass_filter_width`, 6):
    /// more is sharper and slower.
    public let lowpassFilterWidth: Int
    /// The cutoff as a fraction of the lower Nyquist frequency (torchaudio `rolloff`, 0.99).
    public let rolloff: Double
    /// The window applied to the sinc.
    public let window: Window
    /// The precision the kernel is built in.
    public let kernelPrecision: KernelPrecision

    /// Creates a resampler with torchaudio's filter parameters; the defaults are torchaudio's.
    ///
    /// Parameters are checked by ``resample(_:from:to:)``, which throws
    /// ``ResamplerError/invalidSincFilter(lowpassFilterWidth:rolloff:)``.
    public init(
        lowpassFilterWidth: Int = 6, rolloff: Double = 0.99, window: Window = .hann,
        kernelPrecision: KernelPrecision = .float64
    ) {
        self.lowpassFilterWidth = lowpassFilterWidth
        self.rolloff = rolloff
        self.window = window
        self.kernelPrecision = kernelPrecision
    }

    /// The number of samples ``resample(_:from:to:)`` returns for `inputFrames` input samples:
    /// `inputFrames · outputRate / inputRate` rounded up (torchaudio's target length); 0 for
    /// rates that are not positive.
    public static func outputFrameCount(
        forInputFrames inputFrames: Int, from inputRate: Int, to outputRate: Int
    ) -> Int {
        guard inputRate > 0, outputRate > 0, inputFrames > 0 else { return 0 }
        let divisor = greatestCommonDivisor(inputRate, outputRate)
        let (orig, new) = (inputRate / divisor, outputRate / divisor)
        let (product, overflow) = inputFrames.multipliedReportingOverflow(by: new)
        if overflow {
            return Int((Double(inputFrames) * Double(new) / Double(orig)).rounded(.up))
        }
        return (product + orig - 1) / orig
    }

    /// Converts `samples` from `inputRate` to `outputRate`.
    ///
    /// - Parameters:
    ///   - samples: [frames] mono samples at `inputRate`.
    ///   - inputRate: The rate of `samples` in Hz.
    ///   - outputRate: The wanted rate in Hz.
    /// - Returns: [outputFrameCount(forInputFrames: samples.count, from: inputRate, to:
    ///   outputRate)] samples at `outputRate`; `samples` itself when the rates are equal.
    /// - Throws: ``ResamplerError/nonPositiveRate(inputRate:outputRate:)`` when a rate is not
    ///   positive, ``ResamplerError/invalidSincFilter(lowpassFilterWidth:rolloff:)`` when the
    ///   filter width is not positive or the rolloff not a positive finite number,
    ///   ``ResamplerError/periodTooLong(inputRate:outputRate:)`` when the rates' reduced ratio
    ///   has a term over ``maximumPeriod``.
    public func resample(
        _ samples: [Float], from inputRate: Int, to outputRate: Int
    ) throws -> [Float] {
        guard inputRate > 0, outputRate > 0 else {
            throw ResamplerError.nonPositiveRate(inputRate: inputRate, outputRate: outputRate)
        }
        guard lowpassFilterWidth > 0, rolloff > 0, rolloff.isFinite else {
            throw ResamplerError.invalidSincFilter(
                lowpassFilterWidth: lowpassFilterWidth, rolloff: rolloff)
        }
        guard inputRate != outputRate else { return samples }
        // The kernel and the padded input grow with the reduced rates, not with the signal: a
        // file claiming 4,205,329 Hz (coprime with 16 kHz) asked for 1.1 GB.
        let divisor = greatestCommonDivisor(inputRate, outputRate)
        guard inputRate / divisor <= Self.maximumPeriod, outputRate / divisor <= Self.maximumPeriod
        else {
            throw ResamplerError.periodTooLong(inputRate: inputRate, outputRate: outputRate)
        }
        let outputCount = Self.outputFrameCount(
            forInputFrames: samples.count, from: inputRate, to: outputRate)
        guard outputCount > 0 else { return [] }
        return kernel(from: inputRate, to: outputRate).apply(to: samples, outputCount: outputCount)
    }

    /// The cached kernel for the pair of rates, built on first use.
    func kernel(from inputRate: Int, to outputRate: Int) -> SincResamplingKernel {
        let divisor = greatestCommonDivisor(inputRate, outputRate)
        let key = SincResamplingKernelCache.Key(
            inputStride: inputRate / divisor, phaseCount: outputRate / divisor,
            lowpassFilterWidth: lowpassFilterWidth, rolloff: rolloff, window: window,
            precision: kernelPrecision)
        return SincResamplingKernelCache.shared.kernel(for: key)
    }
}

/// The greatest common divisor of two positive integers (Euclid).
private func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
}
