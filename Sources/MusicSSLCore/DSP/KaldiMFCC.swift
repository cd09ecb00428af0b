import Foundation

/// Kaldi MFCCs, identical (to float rounding) to
/// `torchaudio.compliance.kaldi.mfcc(waveform, sample_frequency=rate, use_energy=False)`,
/// optionally followed by deltas as `torchaudio.functional.compute_deltas`.
///
/// Per frame: the shared front end (``KaldiFeatureConfiguration``: DC removal, pre-emphasis,
/// Povey window, power spectrum, Kaldi mel filterbank, log), then the orthonormal DCT-II of
/// the log mel energies truncated to `cepstralCount`, then the lifter. HuBERT's labels are
/// ``MFCCVariant/kaldi39``: fairseq's `dump_mfcc_feature.py` concatenates
/// `[mfcc, Δ, ΔΔ]` per frame.
///
/// ```swift
/// let mfcc = try KaldiMFCC(.kaldi39)
/// let labels = try mfcc(samples, sampleRate: 16_000)   // [frames, 39], 100 frames per second
/// ```
///
/// Samples are floats as decoded, in [-1, 1] (not 16-bit integer scale), one channel.
public struct KaldiMFCC: Sendable {
    /// The options; fixed at creation.
    public let configuration: KaldiFeatureConfiguration

    /// MFCCs with the given options (torchaudio's defaults: 13 cepstra, no deltas).
    ///
    /// - Throws: ``TensorError`` when `cepstralCount` is not in 1...`melBinCount`, the delta
    ///   order is not 0, 1 or 2, or the delta window is below 3.
    public init(configuration: KaldiFeatureConfiguration = KaldiFeatureConfiguration()) throws {
        guard configuration.melBinCount > 3,
            (1...configuration.melBinCount).contains(configuration.cepstralCount)
        else {
            throw TensorError(
                "KaldiMFCC",
                "need 1 ≤ cepstra ≤ mel bins and more than 3 mel bins, got "
                    + "\(configuration.cepstralCount) cepstra from \(configuration.melBinCount) bins"
            )
        }
        try validateDeltas(configuration, operation: "KaldiMFCC")
        self.configuration = configuration
    }

    /// The features of one of HuBERT's recipes.
    public init(_ variant: MFCCVariant) throws {
        try self.init(configuration: variant.configuration)
    }

    /// Values per frame: cepstra × (delta order + 1).
    public var dimensions: Int {
        configuration.cepstralCount * (configuration.deltaOrder + 1)
    }

    /// The MFCCs of a mono signal.
    ///
    /// - Parameters:
    ///   - samples: the waveform, floats in [-1, 1].
    ///   - sampleRate: in hertz; frames are 25 ms every 10 ms at any rate.
    /// - Returns: [frames, dimensions], `[cepstra | Δ | ΔΔ]` per row; zero frames when the
    ///   signal is shorter than one frame.
    /// - Throws: ``TensorError`` for a rate at which the options are invalid, or non-finite
    ///   samples.
    public func callAsFunction(_ samples: [Float], sampleRate: Int) throws -> Tensor {
        try samples.withUnsafeBufferPointer { try compute($0, sampleRate: sampleRate) }
    }

    /// The MFCCs of a mono signal given as a tensor.
    ///
    /// - Parameter samples: [samples]
    /// - Returns: [frames, dimensions]
    /// - Throws: as ``callAsFunction(_:sampleRate:)-([Float],_)``, and when `samples` is not
    ///   one-dimensional.
    public func callAsFunction(_ samples: Tensor, sampleRate: Int) throws -> Tensor {
        guard samples.rank == 1 else {
            throw TensorError(
                "KaldiMFCC", "expected samples of shape [samples], got \(samples.shape)")
        }
        return try compute(
            UnsafeBufferPointer(start: samples.base, count: samples.count), sampleRate: sampleRate)
    }

    private func compute(_ samples: UnsafeBufferPointer<Float>, sampleRate: Int) throws -> Tensor {
        let frontEnd = try KaldiFrontEnd(
            configuration, sampleRate: sampleRate, operation: "KaldiMFCC")
        let frames = frontEnd.frameCount(sampleCount: samples.count)
        let mels = configuration.melBinCount
        let cepstra = configuration.cepstralCount
        let dims = dimensions
        let transform = liftedDCT()
        return try Tensor.filling([frames, dims]) { out in
            try transform.withUnsafeBufferPointer { basis in
                guard let basis = basis.baseAddress else { return }
                try frontEnd.forEachLogMelFrame(samples, operation: "KaldiMFCC") { t, logMel in
                    let row = out + t * dims
                    for c in 0..<cepstra { row[c] = dotContiguous(logMel, basis + c * mels, mels) }
                }
            }
            appendDeltas(out, frames: frames, staticDimensions: cepstra, configuration)
        }
    }

    /// The DCT-II rows for the kept cepstra, each scaled by its lifter coefficient:
    /// [cepstralCount, melBinCount], row c = (1 + L/2 · sin(π c / L)) · DCT basis c.
    private func liftedDCT() -> [Float] {
        let mels = configuration.melBinCount
        let lifter = Double(configuration.cepstralLifter)
        var rows = [Float](repeating: 0, count: configuration.cepstralCount * mels)
        for c in 0..<configuration.cepstralCount {
            let scale = c == 0 ? (1 / Double(mels)).squareRoot() : (2 / Double(mels)).squareRoot()
            let lift = lifter == 0 ? 1 : 1 + 0.5 * lifter * sin(Double.pi * Double(c) / lifter)
            for m in 0..<mels {
                let basis = cos(Double.pi / Double(mels) * (Double(m) + 0.5) * Double(c))
                rows[c * mels + m] = Float(lift * scale * basis)
            }
        }
        return rows
    }
}

/// Checks the delta options shared by ``KaldiMFCC`` and ``KaldiFbank``.
func validateDeltas(_ configuration: KaldiFeatureConfiguration, operation: String) throws {
    guard (0...2).contains(configuration.deltaOrder), configuration.deltaWindow >= 3 else {
        throw TensorError(
            operation,
            "delta order must be 0, 1 or 2 and the delta window at least 3, got "
                + "\(configuration.deltaOrder) and \(configuration.deltaWindow)")
    }
}

/// Fills columns `staticDimensions ..< (order + 1) · staticDimensions` of each row of `out`
/// ([frames, (order + 1) · staticDimensions]) with Δ, then ΔΔ, of the columns before them.
func appendDeltas(
    _ out: UnsafeMutablePointer<Float>, frames: Int, staticDimensions: Int,
    _ configuration: KaldiFeatureConfiguration
) {
    let stride = staticDimensions * (configuration.deltaOrder + 1)
    guard configuration.deltaOrder > 0 else { return }
    for order in 1...configuration.deltaOrder {
        writeDeltas(
            out + (order - 1) * staticDimensions, stride: stride,
            into: out + order * staticDimensions, stride: stride, frames: frames,
            dims: staticDimensions, configuration.deltaWindow)
    }
}
