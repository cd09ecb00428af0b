/// How each triangular mel filter is scaled.
public enum MelNormalization: String, Codable, Sendable, Equatable {
    /// Peak 1 (Kaldi, librosa `norm=None`).
    case none
    /// Divided by half its width in hertz, so every filter has the same area (librosa's default
    /// `norm="slaney"`).
    case slaney
}

/// Triangular filters that turn a spectrum of `binCount` FFT bins into `melCount` mel bands.
///
/// Two constructions are provided, matching the two references MusicSSL is compared against:
/// - ``kaldi(melCount:fftSize:sampleRate:lowFrequency:highFrequency:)``: Kaldi's `MelBanks`
///   (as `torchaudio.compliance.kaldi.get_mel_banks`): triangles linear in mel on the HTK scale.
/// - ``librosa(melCount:fftSize:sampleRate:minimumFrequency:maximumFrequency:scale:normalization:)``:
///   `librosa.filters.mel`: triangles linear in hertz between mel-spaced corners.
///
/// Filters are applied to rows: `[frames, binCount] → [frames, melCount]`, touching only each
/// filter's non-zero bins.
public struct MelFilterbank {
    /// The filters, one per row: [melCount, binCount].
    public let weights: Tensor
    /// The non-zero bins of each filter (empty for a filter that falls between bins).
    let supports: [Range<Int>]

    /// Number of mel bands.
    public var melCount: Int { weights.shape[0] }
    /// Number of spectrum bins each filter reads: `fftSize / 2 + 1`.
    public var binCount: Int { weights.shape[1] }

    init(weights: [[Double]], binCount: Int) {
        let flat = weights.flatMap { $0.map(Float.init) }
        self.weights = Tensor.filling([weights.count, binCount]) { out in
            for (index, value) in flat.enumerated() { out[index] = value }
        }
        supports = weights.map { row in
            guard let first = row.firstIndex(where: { $0 != 0 }),
                let last = row.lastIndex(where: { $0 != 0 })
            else { return 0..<0 }
            return first..<(last + 1)
        }
    }

    /// Kaldi's mel filterbank, as `torchaudio.compliance.kaldi.get_mel_banks` without VTLN.
    ///
    /// `melCount + 2` corners are equally spaced in HTK mel between `lowFrequency` and
    /// `highFrequency`; filter m rises linearly in mel from corner m to m + 1 and falls to
    /// m + 2, peak 1, no normalisation. FFT bin k < fftSize / 2 sits at k · sampleRate / fftSize
    /// Hz; the Nyquist bin has weight 0, as in Kaldi.
    ///
    /// - Parameters:
    ///   - melCount: Kaldi `num_mel_bins` (23 by default), more than 3.
    ///   - fftSize: the (even) FFT length the spectrum came from.
    ///   - sampleRate: in hertz.
    ///   - lowFrequency: Kaldi `low_freq`, 20 Hz.
    ///   - highFrequency: Kaldi `high_freq`; a value ≤ 0 is an offset from the Nyquist frequency.
    /// - Throws: ``TensorError`` for Kaldi's invalid option combinations.
    public static func kaldi(
        melCount: Int = 23, fftSize: Int, sampleRate: Double, lowFrequency: Double = 20,
        highFrequency: Double = 0
    ) throws -> MelFilterbank {
        let nyquist = 0.5 * sampleRate
        let high = highFrequency <= 0 ? highFrequency + nyquist : highFrequency
        guard melCount > 3, fftSize > 0, fftSize % 2 == 0 else {
            throw TensorError(
                "MelFilterbank.kaldi",
                "needs more than 3 mel bins and an even FFT size, got \(melCount) and \(fftSize)")
        }
        guard lowFrequency >= 0, lowFrequency < nyquist, high > 0, high <= nyquist,
            lowFrequency < high
        else {
            throw TensorError(
                "MelFilterbank.kaldi",
                "low frequency \(lowFrequency) Hz and high frequency \(high) Hz must satisfy "
                    + "0 ≤ low < high ≤ Nyquist (\(nyquist) Hz)")
        }
        let scale = MelScale.htk
        let lowMel = scale.mel(fromHertz: lowFrequency)
        let step = (scale.mel(fromHertz: high) - lowMel) / Double(melCount + 1)
        let binWidth = sampleRate / Double(fftSize)
        let bins = fftSize / 2 + 1
        let binMels = (0..<(bins - 1)).map { scale.mel(fromHertz: binWidth * Double($0)) }
        let weights = (0..<melCount).map { m -> [Double] in
            let left = lowMel + Double(m) * step
            let centre = lowMel + Double(m + 1) * step
            let right = lowMel + Double(m + 2) * step
            var row = binMels.map { mel in
                max(0, min((mel - left) / (centre - left), (right - mel) / (right - centre)))
            }
            row.append(0)
            return row
        }
        return MelFilterbank(weights: weights, binCount: bins)
    }

    /// librosa's mel filterbank, as `librosa.filters.mel` (defaults: Slaney scale and area
    /// normalisation, 128 bands from 0 Hz to the Nyquist frequency).
    ///
    /// `melCount + 2` corners are equally spaced in mel between the two frequencies; filter m
    /// rises linearly in hertz from corner m to m + 1 and falls to m + 2. Bin k sits at
    /// k · sampleRate / fftSize Hz, Nyquist included.
    ///
    /// - Parameters:
    ///   - melCount: librosa `n_mels`.
    ///   - fftSize: librosa `n_fft`.
    ///   - sampleRate: librosa `sr`, in hertz.
    ///   - minimumFrequency: librosa `fmin`.
    ///   - maximumFrequency: librosa `fmax`; `nil` is the Nyquist frequency.
    ///   - scale: librosa `htk=False` (`.slaney`) or `htk=True` (`.htk`).
    ///   - normalization: librosa `norm="slaney"` or `norm=None`.
    /// - Throws: ``TensorError`` when a count is not positive or the frequencies are out of order.
    public static func librosa(
        melCount: Int = 128, fftSize: Int, sampleRate: Double, minimumFrequency: Double = 0,
        maximumFrequency: Double? = nil, scale: MelScale = .slaney,
        normalization: MelNormalization = .slaney
    ) throws -> MelFilterbank {
        let maximum = maximumFrequency ?? sampleRate / 2
        guard melCount > 0, fftSize > 0, sampleRate > 0 else {
            throw TensorError(
                "MelFilterbank.librosa",
                "mel count, FFT size and sample rate must be positive, got \(melCount), "
                    + "\(fftSize) and \(sampleRate)")
        }
        guard minimumFrequency >= 0, minimumFrequency < maximum else {
            throw TensorError(
                "MelFilterbank.librosa",
                "need 0 ≤ fmin < fmax, got \(minimumFrequency) Hz and \(maximum) Hz")
        }
        let bins = fftSize / 2 + 1
        let binFrequencies = (0..<bins).map { Double($0) * sampleRate / Double(fftSize) }
        let corners = linearlySpaced(
            from: scale.mel(fromHertz: minimumFrequency), to: scale.mel(fromHertz: maximum),
            count: melCount + 2
        ).map(scale.hertz(fromMel:))
        let weights = (0..<melCount).map { m -> [Double] in
            let lowerWidth = corners[m + 1] - corners[m]
            let upperWidth = corners[m + 2] - corners[m + 1]
            let gain = normalization == .slaney ? 2 / (corners[m + 2] - corners[m]) : 1
            return binFrequencies.map { f in
                let rising = (f - corners[m]) / lowerWidth
                let falling = (corners[m + 2] - f) / upperWidth
                return max(0, min(rising, falling)) * gain
            }
        }
        return MelFilterbank(weights: weights, binCount: bins)
    }

    /// Mel band energies of each spectrum row: Σₖ weights[m, k] · spectrum[..., k].
    ///
    /// - Parameter spectrum: [..., binCount] (power or magnitude).
    /// - Returns: [..., melCount]
    /// - Throws: ``TensorError`` when the last axis is not `binCount` long.
    public func apply(_ spectrum: Tensor) throws -> Tensor {
        guard spectrum.rank >= 1, spectrum.shape.last == binCount else {
            throw TensorError(
                "MelFilterbank.apply", "expected [..., \(binCount)], got \(spectrum.shape)")
        }
        let rows = spectrum.count / binCount
        let bins = binCount
        let mels = melCount
        let x = spectrum.base
        return Tensor.filling(Array(spectrum.shape.dropLast()) + [mels]) { out in
            parallelChunks(rows, cost: 2 * bins) { range in
                for row in range { apply(row: x + row * bins, into: out + row * mels) }
            }
        }
    }

    /// Applies the filters to one spectrum of `binCount` values, writing `melCount` values.
    @inline(__always)
    func apply(row: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let w = weights.base
        let bins = binCount
        for (m, support) in supports.enumerated() {
            out[m] = dotContiguous(
                row + support.lowerBound, w + m * bins + support.lowerBound, support.count)
        }
    }
}

/// `count` values from `start` to `end` inclusive, as numpy.linspace (the last one exactly `end`).
func linearlySpaced(from start: Double, to end: Double, count: Int) -> [Double] {
    guard count > 1 else { return count == 1 ? [start] : [] }
    let step = (end - start) / Double(count - 1)
    return (0..<count).map { $0 == count - 1 ? end : start + Double($0) * step }
}
