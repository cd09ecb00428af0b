/// Kaldi log mel filterbank energies, identical (to float rounding) to
/// `torchaudio.compliance.kaldi.fbank(waveform, sample_frequency=rate)` with its defaults,
/// optionally followed by deltas as `torchaudio.functional.compute_deltas`.
///
/// The cepstral options of the configuration are not used.
///
/// ```swift
/// let fbank = try KaldiFbank()
/// let energies = try fbank(samples, sampleRate: 16_000)   // [frames, 23]
/// ```
public struct KaldiFbank: Sendable {
    /// The options; fixed at creation.
    public let configuration: KaldiFeatureConfiguration

    /// Filterbank features with the given options (torchaudio's defaults: 23 bins, no deltas).
    ///
    /// - Throws: ``TensorError`` when there are 3 or fewer mel bins, the delta order is not
    ///   0, 1 or 2, or the delta window is below 3.
    public init(configuration: KaldiFeatureConfiguration = KaldiFeatureConfiguration()) throws {
        guard configuration.melBinCount > 3 else {
            throw TensorError(
                "KaldiFbank", "need more than 3 mel bins, got \(configuration.melBinCount)")
        }
        try validateDeltas(configuration, operation: "KaldiFbank")
        self.configuration = configuration
    }

    /// Values per frame: mel bins × (delta order + 1).
    public var dimensions: Int {
        configuration.melBinCount * (configuration.deltaOrder + 1)
    }

    /// The log mel energies of a mono signal.
    ///
    /// - Parameters:
    ///   - samples: the waveform, floats in [-1, 1].
    ///   - sampleRate: in hertz.
    /// - Returns: [frames, dimensions]; zero frames when the signal is shorter than one frame.
    /// - Throws: ``TensorError`` for a rate at which the options are invalid, or non-finite
    ///   samples.
    public func callAsFunction(_ samples: [Float], sampleRate: Int) throws -> Tensor {
        try samples.withUnsafeBufferPointer { try compute($0, sampleRate: sampleRate) }
    }

    /// The log mel energies of a mono signal given as a tensor.
    ///
    /// - Parameter samples: [samples]
    /// - Returns: [frames, dimensions]
    /// - Throws: as ``callAsFunction(_:sampleRate:)-([Float],_)``, and when `samples` is not
    ///   one-dimensional.
    public func callAsFunction(_ samples: Tensor, sampleRate: Int) throws -> Tensor {
        guard samples.rank == 1 else {
            throw TensorError(
                "KaldiFbank", "expected samples of shape [samples], got \(samples.shape)")
        }
        return try compute(
            UnsafeBufferPointer(start: samples.base, count: samples.count), sampleRate: sampleRate)
    }

    private func compute(_ samples: UnsafeBufferPointer<Float>, sampleRate: Int) throws -> Tensor {
        let frontEnd = try KaldiFrontEnd(
            configuration, sampleRate: sampleRate, operation: "KaldiFbank")
        let frames = frontEnd.frameCount(sampleCount: samples.count)
        let mels = configuration.melBinCount
        let dims = dimensions
        return try Tensor.filling([frames, dims]) { out in
            try frontEnd.forEachLogMelFrame(samples, operation: "KaldiFbank") { t, logMel in
                (out + t * dims).update(from: logMel, count: mels)
            }
            appendDeltas(out, frames: frames, staticDimensions: mels, configuration)
        }
    }
}
