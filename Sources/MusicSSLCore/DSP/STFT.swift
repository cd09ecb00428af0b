/// Which real spectrum of a complex one.
public enum SpectrumKind: String, Codable, Sendable, Equatable {
    /// |X|
    case magnitude
    /// |X|²
    case power
}

/// The short-time Fourier transform, laid out as `[frames, bins]`.
///
/// Each frame of `fftSize` samples is multiplied by the window (of `windowLength` samples,
/// centred in the frame and zero elsewhere, as librosa's `pad_center`) and transformed with
/// ``RealFFT``. The defaults are librosa's `stft`: n_fft 2048, hop n_fft / 4, periodic Hann,
/// `center=True` with zero padding (librosa ≥ 0.10). librosa returns `[bins, frames]`; this
/// returns the transpose, one row per frame, like every feature in MusicSSL.
///
/// ```swift
/// let stft = STFT(fftSize: 1024, hopLength: 256)
/// let power = try stft.spectrogram(samples)          // [frames, 513]
/// ```
public struct STFT: Codable, Sendable, Equatable {
    /// Samples per transform (librosa `n_fft`); bins are `fftSize / 2 + 1`.
    public var fftSize: Int
    /// Samples between frames (librosa `hop_length`).
    public var hopLength: Int
    /// Samples of the window (librosa `win_length`), at most `fftSize`.
    public var windowLength: Int
    /// The window function (librosa `window`).
    public var window: WindowFunction
    /// Where frames start (librosa `center` and `pad_mode`).
    public var padding: FramePadding

    /// An STFT with librosa's defaults for whatever is not given: hop `windowLength / 4`,
    /// window length `fftSize`, periodic Hann, centred frames with zero padding.
    public init(
        fftSize: Int = 2048, hopLength: Int? = nil, windowLength: Int? = nil,
        window: WindowFunction = .hann(.periodic), padding: FramePadding = .centered(.constant)
    ) {
        self.fftSize = fftSize
        self.windowLength = windowLength ?? fftSize
        self.hopLength = hopLength ?? (windowLength ?? fftSize) / 4
        self.window = window
        self.padding = padding
    }

    /// `fftSize / 2 + 1`; bin k is at k · sampleRate / fftSize Hz.
    public var binCount: Int { fftSize / 2 + 1 }

    /// The frames a signal of `sampleCount` samples gives.
    public func frameCount(sampleCount: Int) -> Int {
        framing.frameCount(sampleCount: sampleCount)
    }

    /// The complex STFT.
    ///
    /// - Parameter signal: [samples]
    /// - Returns: real and imaginary parts, each [frames, binCount].
    /// - Throws: ``TensorError`` when the signal is not one-dimensional or the sizes are invalid.
    public func transform(_ signal: Tensor) throws -> (real: Tensor, imaginary: Tensor) {
        let bins = binCount
        var imaginary = Tensor.zeros([frameCount(sampleCount: signal.count), bins])
        let real = try imaginary.withUnsafeMutableBufferPointer { im in
            try forEachFrame(signal, "STFT.transform") { t, spectrum, re in
                for k in 0..<bins {
                    re[k] = spectrum[2 * k]
                    im[t * bins + k] = spectrum[2 * k + 1]
                }
            }
        }
        return (real, imaginary)
    }

    /// |STFT| or |STFT|² (librosa `np.abs(stft(y)) ** power` with power 1 or 2).
    ///
    /// - Parameter signal: [samples]
    /// - Returns: [frames, binCount]
    /// - Throws: ``TensorError`` when the signal is not one-dimensional or the sizes are invalid.
    public func spectrogram(_ signal: Tensor, _ kind: SpectrumKind = .power) throws -> Tensor {
        let bins = binCount
        return try forEachFrame(signal, "STFT.spectrogram") { _, spectrum, out in
            switch kind {
            case .power: writePowerSpectrum(spectrum, bins, out)
            case .magnitude: writeMagnitudeSpectrum(spectrum, bins, out)
            }
        }
    }

    private var framing: Framing {
        Framing(frameLength: fftSize, hopLength: hopLength, padding: padding)
    }

    /// Windows and transforms every frame in parallel; `body` gets the frame index, its
    /// interleaved spectrum and its row of the [frames, binCount] result, which it must fill.
    private func forEachFrame(
        _ signal: Tensor, _ operation: String,
        _ body: (Int, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) throws -> Tensor {
        let framing = self.framing
        try framing.validate(signal, operation)
        guard windowLength > 0, windowLength <= fftSize else {
            throw TensorError(
                operation, "window length \(windowLength) must be in 1...\(fftSize) (the FFT size)")
        }
        let fft = try RealFFT(size: fftSize)
        let taper = centredWindow()
        let count = framing.frameCount(sampleCount: signal.count)
        let bins = binCount
        let samples = UnsafeBufferPointer(start: signal.base, count: signal.count)
        return try Tensor.filling([count, bins]) { out in
            try taper.withUnsafeBufferPointer { w in
                try fft.plan.forEachChunk(rows: count, cost: fftSize * 8) { range, buffers in
                    for t in range {
                        framing.copyFrame(t, of: samples, into: buffers.input)
                        for j in 0..<fftSize { buffers.input[j] *= w[j] }
                        fft.plan.execute(buffers)
                        body(t, buffers.output, out + t * bins)
                    }
                }
            }
        }
    }

    /// The window's coefficients zero-padded on both sides to `fftSize` (librosa `pad_center`).
    private func centredWindow() -> [Float] {
        let leading = (fftSize - windowLength) / 2
        var taper = [Float](repeating: 0, count: fftSize)
        for (j, value) in window.coefficients(length: windowLength).enumerated() {
            taper[leading + j] = value
        }
        return taper
    }
}
