import Foundation

/// The settings of a ``ConstantQTransform``, named after nnAudio's `CQT1992v2` arguments.
///
/// The transform always uses Hann kernels (nnAudio `window="hann"`, periodic as
/// `scipy.signal.get_window`) and returns linear magnitude (`output_format="Magnitude"`).
///
/// ```swift
/// let cqt = try ConstantQTransform(configuration: .mert)
/// let targets = try cqt(samples)   // [frames, 336]
/// ```
public struct CQTConfiguration: Codable, Equatable, Hashable, Sendable {
    /// Sample rate of the input in Hz (nnAudio `sr`).
    public var sampleRate: Int
    /// Samples between frame centres (nnAudio `hop_length`).
    public var hopLength: Int
    /// Centre frequency of the lowest bin in Hz (nnAudio `fmin`).
    public var minimumFrequency: Double
    /// Number of bins (nnAudio `n_bins`).
    public var binCount: Int
    /// Bins per octave (nnAudio `bins_per_octave`).
    public var binsPerOctave: Int
    /// Scales every kernel's length; below 1 trades frequency for time resolution
    /// (nnAudio `filter_scale`).
    public var filterScale: Double
    /// How each complex kernel is normalised (nnAudio `norm`).
    public var kernelNormalization: CQTKernelNormalization
    /// Where frames sit and how the signal is extended past its ends (nnAudio `center`,
    /// `pad_mode`).
    public var padding: CQTPadding
    /// Scaling applied to the filtered signal (nnAudio `forward(normalization_type:)`).
    public var outputScaling: CQTOutputScaling

    /// Creates a configuration; the defaults are nnAudio's except where a parameter has none.
    public init(
        sampleRate: Int, hopLength: Int, minimumFrequency: Double = 32.70, binCount: Int,
        binsPerOctave: Int, filterScale: Double = 1,
        kernelNormalization: CQTKernelNormalization = .l1, padding: CQTPadding = .reflect,
        outputScaling: CQTOutputScaling = .librosa
    ) {
        self.sampleRate = sampleRate
        self.hopLength = hopLength
        self.minimumFrequency = minimumFrequency
        self.binCount = binCount
        self.binsPerOctave = binsPerOctave
        self.filterScale = filterScale
        self.kernelNormalization = kernelNormalization
        self.padding = padding
        self.outputScaling = outputScaling
    }

    /// The CQT whose magnitude MERT regresses (model-spec §6.2): 24 kHz, hop 320 (75 frames
    /// per second), 336 bins from 32.7 Hz at 48 per octave (7 octaves, top bin ≈ 4.13 kHz),
    /// L1 kernels, zero padding, librosa scaling.
    public static let mert = CQTConfiguration(
        sampleRate: 24_000, hopLength: 320, minimumFrequency: 32.7, binCount: 336,
        binsPerOctave: 48, padding: .constant)

    /// nnAudio `CQT1992v2()` with every argument at its default: 22.05 kHz, hop 512, 84 bins
    /// from 32.70 Hz at 12 per octave, reflection padding.
    public static let nnAudioDefault = CQTConfiguration(
        sampleRate: 22_050, hopLength: 512, binCount: 84, binsPerOctave: 12)

    /// Centre frequency of each bin in Hz, `minimumFrequency · 2^(k / binsPerOctave)`.
    public var binFrequencies: [Double] {
        // Same expression and order as nnAudio's `fmin * 2.0 ** (np.r_[0:n_bins] / bpo)`.
        (0..<max(binCount, 0)).map {
            minimumFrequency * pow(2.0, Double($0) / Double(binsPerOctave))
        }
    }

    /// The quality factor `filterScale / (2^(1/binsPerOctave) − 1)` (≈ 68.75 for MERT).
    public var qualityFactor: Double {
        filterScale / (pow(2.0, 1.0 / Double(binsPerOctave)) - 1)
    }

    /// Kernel length of each bin in samples, `⌈Q · sampleRate / f_k⌉` (50 460 for MERT's
    /// lowest bin); saturates at ``maximumKernelLength`` + 1 for unusable settings.
    public var kernelLengths: [Int] {
        let scaled = qualityFactor * Double(sampleRate)
        return binFrequencies.map {
            let length = (scaled / $0).rounded(.up)
            return length <= Double(Self.maximumKernelLength)
                ? max(Int(length), 1) : Self.maximumKernelLength + 1
        }
    }

    /// The longest kernel ``validate()`` accepts, 2²⁴ samples (about 6 minutes at 48 kHz).
    public static let maximumKernelLength = 1 << 24

    /// nnAudio's kernel width: the next power of two of the longest kernel (65 536 for MERT).
    /// Half of it is the padding added at each end when frames are centred.
    public var kernelWidth: Int {
        let longest = kernelLengths.max() ?? 1
        return 1 << Int(log2(Double(longest)).rounded(.up))
    }

    /// Number of frames the transform returns for `sampleCount` input samples:
    /// `⌊N / hop⌋ + 1` when centred, `⌊(N − kernelWidth) / hop⌋ + 1` with ``CQTPadding/none``.
    public func frameCount(sampleCount: Int) -> Int {
        switch padding {
        case .constant, .reflect: return sampleCount / hopLength + 1
        case .none:
            return sampleCount < kernelWidth ? 0 : (sampleCount - kernelWidth) / hopLength + 1
        }
    }

    /// Checks that every setting is usable.
    ///
    /// - Throws: ``TensorError`` naming the setting when a count or rate is not positive or the
    ///   top bin lies above the Nyquist frequency (nnAudio raises the same), or the longest kernel
    ///   exceeds ``maximumKernelLength``.
    public func validate() throws {
        let op = "ConstantQTransform"
        guard sampleRate > 0, hopLength > 0, binCount > 0, binsPerOctave > 0 else {
            throw TensorError(
                op,
                "sample rate \(sampleRate), hop \(hopLength), bin count \(binCount) and "
                    + "bins per octave \(binsPerOctave) must all be positive")
        }
        guard minimumFrequency > 0, minimumFrequency.isFinite, filterScale > 0,
            filterScale.isFinite
        else {
            throw TensorError(
                op,
                "minimum frequency \(minimumFrequency) Hz and filter scale \(filterScale) "
                    + "must be positive and finite")
        }
        let longest = kernelLengths.max() ?? 1
        guard longest <= Self.maximumKernelLength else {
            throw TensorError(
                op,
                "the lowest bin needs a kernel longer than \(Self.maximumKernelLength) "
                    + "samples; raise the minimum frequency or lower the filter scale")
        }
        let top = binFrequencies.last ?? minimumFrequency
        guard top <= Double(sampleRate) / 2 else {
            throw TensorError(
                op,
                "the top bin, \(top) Hz, lies above the Nyquist frequency "
                    + "\(Double(sampleRate) / 2) Hz; use fewer bins")
        }
    }
}

/// How a ``ConstantQTransform`` normalises each complex kernel (nnAudio `norm`).
public enum CQTKernelNormalization: String, Codable, Sendable {
    /// Divide by the kernel's L1 norm, `Σ|k|` (nnAudio `norm=1`, as librosa).
    case l1
    /// Divide by the kernel's L2 norm (nnAudio `norm=2`).
    case l2
    /// Keep `window · e^{iωn} / length` (nnAudio `norm=None`).
    case none
}

/// Where ``ConstantQTransform`` frames sit on the signal.
public enum CQTPadding: String, Codable, Sendable {
    /// Frame `t` is centred on sample `t · hop`; zeros extend the signal (nnAudio
    /// `center=True, pad_mode="constant"`, as MERT).
    case constant
    /// Frame `t` is centred on sample `t · hop`; the signal is mirrored without repeating its end
    /// samples (nnAudio `center=True, pad_mode="reflect"`, as `torch.nn.ReflectionPad1d`).
    case reflect
    /// No padding: frame `t` covers samples `t · hop ..< t · hop + kernelWidth` (nnAudio
    /// `center=False`).
    case none
}

/// The scaling nnAudio's `CQT1992v2.forward` applies to the filtered signal.
public enum CQTOutputScaling: String, Codable, Sendable {
    /// Multiply bin `k` by `√length_k`, matching librosa's `cqt` (nnAudio's default, MERT).
    case librosa
    /// No scaling: the plain convolution with the normalised kernels.
    case convolutional
    /// Multiply by 2, so a unit-amplitude sinusoid at a bin's frequency gives about 1 there.
    case wrap
}
