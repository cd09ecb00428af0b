import Foundation

/// Whether a window of length N is one period of a longer periodic window or symmetric about
/// its centre.
public enum WindowSymmetry: String, Codable, Sendable, Equatable {
    /// cos(2πn / N): the first N samples of a window of length N + 1, for spectral analysis
    /// (scipy `get_window(..., fftbins=True)`, librosa's STFT, torch `periodic=True`).
    case periodic
    /// cos(2πn / (N − 1)): both ends equal (torch `periodic=False`, Kaldi's windows).
    case symmetric
}

/// A tapering window applied to each frame before its Fourier transform.
///
/// ```swift
/// let hann = WindowFunction.hann(.periodic).coefficients(length: 2048)  // librosa's STFT window
/// let povey = WindowFunction.povey.coefficients(length: 400)            // Kaldi's default
/// ```
public enum WindowFunction: Codable, Sendable, Equatable {
    /// 0.5 − 0.5 cos(2πn / M), M = N (periodic) or N − 1 (symmetric); Kaldi's `hanning` is
    /// symmetric, librosa's `hann` periodic.
    case hann(WindowSymmetry)
    /// 0.54 − 0.46 cos(2πn / M), as torch.hamming_window; Kaldi's `hamming` is symmetric.
    case hamming(WindowSymmetry)
    /// Kaldi's default: the symmetric Hann window raised to the power 0.85, which reaches zero at
    /// both ends like Hann but is wider at the top.
    case povey
    /// All ones.
    case rectangular

    /// The window's N coefficients, computed in double precision and rounded once.
    ///
    /// A window of length 1 is `[1]`, as in torch; length 0 is empty.
    public func coefficients(length: Int) -> [Float] {
        guard length > 1 else { return length == 1 ? [1] : [] }
        return (0..<length).map { Float(value(at: $0, length: length)) }
    }

    private func value(at n: Int, length: Int) -> Double {
        switch self {
        case .hann(let symmetry):
            return 0.5 - 0.5 * cos(2 * Double.pi * Double(n) / period(length, symmetry))
        case .hamming(let symmetry):
            return 0.54 - 0.46 * cos(2 * Double.pi * Double(n) / period(length, symmetry))
        case .povey:
            let hann = 0.5 - 0.5 * cos(2 * Double.pi * Double(n) / Double(length - 1))
            return pow(hann, 0.85)
        case .rectangular:
            return 1
        }
    }

    private func period(_ length: Int, _ symmetry: WindowSymmetry) -> Double {
        symmetry == .periodic ? Double(length) : Double(length - 1)
    }
}
