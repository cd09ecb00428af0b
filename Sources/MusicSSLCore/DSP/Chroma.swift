import Foundation

/// Folds a CQT magnitude into pitch classes, as `librosa.feature.chroma_cqt(C=…)`.
///
/// Each CQT bin goes to one pitch class (librosa `filters.cq_to_chroma`): with `m` bins per
/// chroma (`binsPerOctave / chromaCount`, 4 for MERT's 48), bin `k` belongs to class
/// `⌊((k + ⌊m/2⌋) mod binsPerOctave) / m⌋`, rotated so that class 0 is C. A class therefore
/// collects the bins within half a class width of its pitch: for MERT's CQT, whose bin 0 is
/// C1 (32.70 Hz, MIDI 24), class 0 (C) gathers bins 46, 47, 0, 1 of every octave (C − 50 cents
/// to C + 25 cents), class 1 (C♯) bins 2 … 5, and so on. The classes are summed over all
/// octaves, then each frame is divided by its largest class (librosa's default `norm=np.inf`).
///
/// ```swift
/// let chroma = try Chroma(cqt: .mert)
/// let classes = try chroma(try ConstantQTransform(configuration: .mert)(samples))  // [frames, 12]
/// ```
public struct Chroma: Sendable {
    /// Pitch class of each CQT bin, 0 = C … `chromaCount − 1`.
    public let pitchClasses: [Int]
    /// Number of pitch classes (librosa `n_chroma`).
    public let chromaCount: Int
    /// How each frame is scaled after folding.
    public let normalization: ChromaNormalization

    /// Creates the folding for a CQT with the given bins.
    ///
    /// - Parameters:
    ///   - binCount: CQT bins per frame.
    ///   - binsPerOctave: CQT bins per octave, a multiple of `chromaCount`.
    ///   - minimumFrequency: centre of CQT bin 0 in Hz; its pitch class (rounded to the
    ///     nearest class) decides the rotation (librosa `fmin`, default C1 = 32.70 Hz).
    ///   - chromaCount: pitch classes, 12 by default (librosa `n_chroma`).
    ///   - normalization: per-frame scaling, ``ChromaNormalization/maximum`` by default.
    /// - Throws: ``TensorError`` when a count is not positive, `binsPerOctave` is not a multiple
    ///   of `chromaCount`, or the frequency is not positive.
    public init(
        binCount: Int, binsPerOctave: Int, minimumFrequency: Double = 32.703_195_662_574_83,
        chromaCount: Int = 12, normalization: ChromaNormalization = .maximum
    ) throws {
        guard binCount > 0, chromaCount > 0, binsPerOctave > 0,
            binsPerOctave % chromaCount == 0
        else {
            throw TensorError(
                "Chroma",
                "need positive counts with bins per octave (\(binsPerOctave)) a "
                    + "multiple of the chroma count (\(chromaCount)), and \(binCount) bins")
        }
        guard minimumFrequency > 0, minimumFrequency.isFinite else {
            throw TensorError("Chroma", "minimum frequency \(minimumFrequency) Hz is not positive")
        }
        let merge = binsPerOctave / chromaCount
        // librosa: roll = round((hz_to_midi(fmin) mod 12) · n_chroma / 12), np.round (half even).
        let midi = 12 * (log2(minimumFrequency) - log2(440.0)) + 69
        let midiClass = midi - 12 * (midi / 12).rounded(.down)
        let roll = Int((midiClass * Double(chromaCount) / 12).rounded(.toNearestOrEven))
        self.pitchClasses = (0..<binCount).map { bin in
            let unrolled = ((bin + merge / 2) % binsPerOctave) / merge
            return ((unrolled + roll) % chromaCount + chromaCount) % chromaCount
        }
        self.chromaCount = chromaCount
        self.normalization = normalization
    }

    /// Creates the folding for the CQT that `configuration` produces.
    public init(
        cqt configuration: CQTConfiguration, normalization: ChromaNormalization = .maximum
    ) throws {
        try self.init(
            binCount: configuration.binCount, binsPerOctave: configuration.binsPerOctave,
            minimumFrequency: configuration.minimumFrequency, normalization: normalization)
    }

    /// Folds a CQT magnitude into pitch classes.
    ///
    /// - Parameter cqt: `[frames, binCount]` magnitude (non-negative).
    /// - Returns: `[frames, chromaCount]`.
    /// - Throws: ``TensorError`` when `cqt` is not `[frames, binCount]`.
    public func callAsFunction(_ cqt: Tensor) throws -> Tensor {
        let binCount = pitchClasses.count
        guard cqt.rank == 2, cqt.shape[1] == binCount else {
            throw TensorError("Chroma", "expected [frames, \(binCount)], got \(cqt.shape)")
        }
        let frames = cqt.shape[0]
        let classes = chromaCount
        return cqt.withUnsafeBufferPointer { magnitude in
            Tensor.filling([frames, classes]) { output in
                for t in 0..<frames {
                    let row = output + t * classes
                    row.initialize(repeating: 0, count: classes)
                    for bin in 0..<binCount {
                        row[pitchClasses[bin]] += magnitude[t * binCount + bin]
                    }
                    normalize(row, count: classes)
                }
            }
        }
    }

    private func normalize(_ row: UnsafeMutablePointer<Float>, count: Int) {
        guard normalization == .maximum else { return }
        var largest: Float = 0
        for c in 0..<count { largest = max(largest, abs(row[c])) }
        // librosa.util.normalize leaves frames whose norm is below the smallest normal float.
        guard largest >= Float.leastNormalMagnitude else { return }
        for c in 0..<count { row[c] /= largest }
    }
}

/// How ``Chroma`` scales each frame after folding.
public enum ChromaNormalization: String, Codable, Sendable {
    /// Divide by the largest class so the loudest is 1 (librosa `norm=np.inf`, the default).
    case maximum
    /// Keep the summed magnitudes (librosa `norm=None`).
    case none
}
