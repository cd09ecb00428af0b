/// A mel spectrogram as `librosa.feature.melspectrogram` computes it (librosa 0.10–0.11).
///
/// The defaults are librosa's: a 2048-point STFT every 512 samples with a periodic Hann window
/// of 2048 samples, frames centred with zero padding, power 2, and 128 Slaney-scale filters
/// with Slaney (equal-area) normalisation from 0 Hz to the Nyquist frequency. librosa returns
/// `[mels, frames]`; this returns the transpose.
///
/// ```swift
/// let mel = try LibrosaMelSpectrogram(sampleRate: 22_050)
/// let power = try mel(samples)                        // [1 + N / 512, 128]
/// let decibels = try PowerToDecibels()(power)         // librosa.power_to_db
/// ```
public struct LibrosaMelSpectrogram {
    /// Sample rate of the input in Hz (librosa `sr`).
    public let sampleRate: Double
    /// The short-time Fourier transform (librosa `n_fft`, `hop_length`, `win_length`, `window`,
    /// `center`, `pad_mode`).
    public let stft: STFT
    /// |STFT| (librosa `power=1`) or |STFT|² (`power=2`, the default).
    public let spectrum: SpectrumKind
    /// The filters (librosa `n_mels`, `fmin`, `fmax`, `htk`, `norm`).
    public let filterbank: MelFilterbank

    /// Builds the STFT and the filterbank.
    ///
    /// - Parameters:
    ///   - sampleRate: librosa `sr`, in Hz.
    ///   - stft: librosa's STFT settings; ``STFT/init(fftSize:hopLength:windowLength:window:padding:)``
    ///     with no arguments is librosa's default.
    ///   - spectrum: ``SpectrumKind/power`` (librosa `power=2.0`) or ``SpectrumKind/magnitude``.
    ///   - melCount: librosa `n_mels`.
    ///   - minimumFrequency: librosa `fmin`, in Hz.
    ///   - maximumFrequency: librosa `fmax`; `nil` is the Nyquist frequency.
    ///   - scale: librosa `htk=False` (``MelScale/slaney``) or `htk=True` (``MelScale/htk``).
    ///   - normalization: librosa `norm="slaney"` or `norm=None`.
    /// - Throws: ``TensorError`` when the filterbank's arguments are invalid.
    public init(
        sampleRate: Double, stft: STFT = STFT(), spectrum: SpectrumKind = .power,
        melCount: Int = 128, minimumFrequency: Double = 0, maximumFrequency: Double? = nil,
        scale: MelScale = .slaney, normalization: MelNormalization = .slaney
    ) throws {
        self.sampleRate = sampleRate
        self.stft = stft
        self.spectrum = spectrum
        self.filterbank = try MelFilterbank.librosa(
            melCount: melCount, fftSize: stft.fftSize, sampleRate: sampleRate,
            minimumFrequency: minimumFrequency, maximumFrequency: maximumFrequency, scale: scale,
            normalization: normalization)
    }

    /// Number of mel bands.
    public var melCount: Int { filterbank.melCount }

    /// The mel spectrogram of a mono signal.
    ///
    /// - Parameter samples: `[samples]` at ``sampleRate``.
    /// - Returns: `[frames, melCount]`, frames as ``STFT/frameCount(sampleCount:)``.
    /// - Throws: ``TensorError`` when `samples` is not one-dimensional, is empty or gives no
    ///   frame.
    public func callAsFunction(_ samples: Tensor) throws -> Tensor {
        guard samples.count > 0, stft.frameCount(sampleCount: samples.count) > 0 else {
            throw TensorError(
                "LibrosaMelSpectrogram",
                "\(samples.count) samples give no frame of \(stft.fftSize) samples")
        }
        return try filterbank.apply(try stft.spectrogram(samples, spectrum))
    }

    /// The mel spectrogram of a mono signal given as an array; see ``callAsFunction(_:)-(Tensor)``.
    public func callAsFunction(_ samples: [Float]) throws -> Tensor {
        try callAsFunction(Tensor(samples))
    }
}
