/// The discrete Fourier transform of real signals of one length, on FFTW.
///
/// X[k] = Σₙ x[n] e^(−2πi kn/N) for k = 0 … N/2 (the other half is the mirror image), with no
/// scaling, as `numpy.fft.rfft` and `torch.fft.rfft`. Any N ≥ 1 works; FFTW is fastest for
/// products of small primes. Plans are made once per size and shared, so making a `RealFFT` is
/// cheap after the first time and transforms may run on several threads at once.
///
/// ```swift
/// let fft = try RealFFT(size: 512)
/// let power = try fft.powerSpectrum(frames)   // [frames, 512] → [frames, 257]
/// ```
public struct RealFFT: Sendable {
    /// N, the length of each transformed signal.
    public let size: Int
    let plan: RealForwardPlan

    /// The transform of signals of `size` samples.
    ///
    /// - Throws: ``TensorError`` when `size` is not positive.
    public init(size: Int) throws {
        guard size > 0 else { throw TensorError("RealFFT", "size must be positive, got \(size)") }
        self.size = size
        plan = try FFTWPlanner.realForwardPlan(size: size)
    }

    /// N / 2 + 1, the number of non-redundant frequency bins; bin k is at k · rate / N Hz.
    public var binCount: Int { size / 2 + 1 }

    /// The complex spectrum of each signal along the last axis.
    ///
    /// - Parameter signal: [..., size]
    /// - Returns: real and imaginary parts, each [..., binCount].
    /// - Throws: ``TensorError`` when the last axis is not `size` long.
    public func transform(_ signal: Tensor) throws -> (real: Tensor, imaginary: Tensor) {
        let rows = try rowCount(signal, "transform")
        let outputShape = Array(signal.shape.dropLast()) + [binCount]
        let bins = binCount
        var imaginary = Tensor.zeros(outputShape)
        let x = signal.base
        let real = try Tensor.filling(outputShape) { re in
            try imaginary.withUnsafeMutableBufferPointer { im in
                try forEachRow(rows, x) { row, spectrum in
                    for k in 0..<bins {
                        re[row * bins + k] = spectrum[2 * k]
                        im[row * bins + k] = spectrum[2 * k + 1]
                    }
                }
            }
        }
        return (real, imaginary)
    }

    /// |X[k]|² of each signal along the last axis.
    ///
    /// - Parameter signal: [..., size]
    /// - Returns: [..., binCount]
    /// - Throws: ``TensorError`` when the last axis is not `size` long.
    public func powerSpectrum(_ signal: Tensor) throws -> Tensor {
        try spectrum(signal, "powerSpectrum", squared: true)
    }

    /// |X[k]| of each signal along the last axis.
    ///
    /// - Parameter signal: [..., size]
    /// - Returns: [..., binCount]
    /// - Throws: ``TensorError`` when the last axis is not `size` long.
    public func magnitudeSpectrum(_ signal: Tensor) throws -> Tensor {
        try spectrum(signal, "magnitudeSpectrum", squared: false)
    }

    private func spectrum(_ signal: Tensor, _ operation: String, squared: Bool) throws -> Tensor {
        let rows = try rowCount(signal, operation)
        let bins = binCount
        let x = signal.base
        return try Tensor.filling(Array(signal.shape.dropLast()) + [bins]) { out in
            try forEachRow(rows, x) { row, spectrum in
                let target = out + row * bins
                if squared {
                    writePowerSpectrum(spectrum, bins, target)
                } else {
                    writeMagnitudeSpectrum(spectrum, bins, target)
                }
            }
        }
    }

    private func rowCount(_ signal: Tensor, _ operation: String) throws -> Int {
        guard signal.rank >= 1, signal.shape.last == size else {
            throw TensorError(
                "RealFFT.\(operation)", "expected [..., \(size)], got \(signal.shape)")
        }
        return signal.count / size
    }

    /// Transforms `rows` contiguous signals starting at `x`, in parallel, handing each row's
    /// interleaved spectrum (binCount complex values) to `body`.
    private func forEachRow(
        _ rows: Int, _ x: UnsafePointer<Float>,
        _ body: (Int, UnsafePointer<Float>) -> Void
    ) throws {
        let size = self.size
        try plan.forEachChunk(rows: rows, cost: size * 8) { range, buffers in
            for row in range {
                buffers.input.update(from: x + row * size, count: size)
                plan.execute(buffers)
                body(row, buffers.output)
            }
        }
    }
}

/// re² + im² of `bins` interleaved complex values.
@inline(__always)
func writePowerSpectrum(
    _ spectrum: UnsafePointer<Float>, _ bins: Int, _ out: UnsafeMutablePointer<Float>
) {
    for k in 0..<bins {
        let re = spectrum[2 * k]
        let im = spectrum[2 * k + 1]
        out[k] = re * re + im * im
    }
}

/// √(re² + im²) of `bins` interleaved complex values.
@inline(__always)
func writeMagnitudeSpectrum(
    _ spectrum: UnsafePointer<Float>, _ bins: Int, _ out: UnsafeMutablePointer<Float>
) {
    for k in 0..<bins {
        let re = spectrum[2 * k]
        let im = spectrum[2 * k + 1]
        out[k] = (re * re + im * im).squareRoot()
    }
}
