/// MFCCs as `librosa.feature.mfcc` computes them from a signal (librosa 0.10–0.11 defaults).
///
/// The chain is ``LibrosaMelSpectrogram`` (128 Slaney mel bands of the power STFT), then
/// ``PowerToDecibels`` (`librosa.power_to_db`: ref 1, amin 1e-10, top_db 80 over the whole
/// clip), then the orthonormal DCT-II over the mel axis (`scipy.fft.dct(type=2, norm="ortho")`),
/// keeping the first 20 coefficients; no liftering (librosa `lifter=0`). librosa returns
/// `[n_mfcc, frames]`; this returns the transpose.
///
/// ```swift
/// let mfcc = try LibrosaMFCC(sampleRate: 22_050)
/// let coefficients = try mfcc(samples)               // [1 + N / 512, 20]
/// ```
public struct LibrosaMFCC {
    /// The mel spectrogram the coefficients are computed from.
    public let melSpectrogram: LibrosaMelSpectrogram
    /// The power-to-decibel conversion applied to the mel spectrogram.
    public let decibels: PowerToDecibels
    /// Number of coefficients kept (librosa `n_mfcc`).
    public let coefficientCount: Int

    /// Builds the mel spectrogram and the DCT.
    ///
    /// - Parameters:
    ///   - melSpectrogram: librosa's `melspectrogram` arguments (its `**kwargs`).
    ///   - decibels: `power_to_db` settings; librosa's `mfcc` always uses the defaults.
    ///   - coefficientCount: librosa `n_mfcc`, 1 … `melCount`.
    /// - Throws: ``TensorError`` when `coefficientCount` is out of range.
    public init(
        melSpectrogram: LibrosaMelSpectrogram, decibels: PowerToDecibels = PowerToDecibels(),
        coefficientCount: Int = 20
    ) throws {
        guard (1...max(melSpectrogram.melCount, 1)).contains(coefficientCount) else {
            throw TensorError(
                "LibrosaMFCC",
                "coefficient count \(coefficientCount) must be in "
                    + "1...\(melSpectrogram.melCount) (the mel band count)")
        }
        self.melSpectrogram = melSpectrogram
        self.decibels = decibels
        self.coefficientCount = coefficientCount
    }

    /// MFCCs with librosa's defaults at `sampleRate` Hz: 20 coefficients of 128 mel bands.
    ///
    /// - Throws: ``TensorError`` when the sample rate is not positive.
    public init(sampleRate: Double, coefficientCount: Int = 20) throws {
        try self.init(
            melSpectrogram: try LibrosaMelSpectrogram(sampleRate: sampleRate),
            coefficientCount: coefficientCount)
    }

    /// The MFCCs of a mono signal.
    ///
    /// - Parameter samples: `[samples]` at the mel spectrogram's sample rate.
    /// - Returns: `[frames, coefficientCount]`.
    /// - Throws: ``TensorError`` when `samples` is not one-dimensional or gives no frame.
    public func callAsFunction(_ samples: Tensor) throws -> Tensor {
        let logMel = try decibels(try melSpectrogram(samples))
        return try DCT.typeII(logMel, outputCount: coefficientCount)
    }

    /// The MFCCs of a mono signal given as an array; see ``callAsFunction(_:)-(Tensor)``.
    public func callAsFunction(_ samples: [Float]) throws -> Tensor {
        try callAsFunction(Tensor(samples))
    }
}
