import Foundation
import MusicSSLTestSupport
import Testing

/// Parity with nnAudio and librosa on `Fixtures/spectral` (Tests/FixtureGenerators/
/// spectral_features.py): one 72 000-sample chord-plus-noise signal, read at 24 kHz for MERT's
/// CQT and at 22.05 kHz for nnAudio's default CQT and the librosa features.
@Suite("Spectral features match nnAudio and librosa")
struct SpectralParityTests {
    /// `max |Swift − reference| / max |reference|`; measured 5.0e-6 (MERT) and 2.5e-6 (default).
    static let cqtTolerance: Float = 1e-3
    /// Same measure for the mel power spectrogram; measured 3.5e-7.
    static let melTolerance: Float = 1e-4
    /// Absolute, in dB, for log-mel and MFCC; measured 1.1e-5 and 5.3e-5.
    static let decibelTolerance: Float = 0.01
    /// Absolute for chroma (each frame's largest class is 1); measured 2.7e-6.
    static let chromaTolerance: Float = 1e-4
    /// The generator keeps every fifth frame of MERT's 226-frame CQT.
    static let cqtFrameStride = 5

    static func fixture(_ name: String) throws -> Tensor {
        try Fixture.loadNumPy("spectral/\(name)", in: Bundle.module)
    }

    /// The largest difference relative to the reference's largest magnitude, and the largest
    /// elementwise relative difference over elements above 1e-3 of that magnitude.
    static func relativeDifferences(
        _ actual: Tensor, _ expected: Tensor
    ) -> (
        peak: Float, elementwise: Float
    ) {
        let a = actual.scalars
        let b = expected.scalars
        let scale = b.map(abs).max() ?? 0
        var peak: Float = 0
        var elementwise: Float = 0
        for (x, y) in zip(a, b) {
            peak = max(peak, abs(x - y))
            if abs(y) > 1e-3 * scale { elementwise = max(elementwise, abs(x - y) / abs(y)) }
        }
        return (scale > 0 ? peak / scale : peak, elementwise)
    }

    /// Expects `actual` within `tolerance` of `expected` relative to its peak; prints both
    /// relative measures.
    static func expectRelative(
        _ actual: Tensor, _ expected: Tensor, tolerance: Float, _ name: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(actual.shape == expected.shape, "\(name) shape", sourceLocation: sourceLocation)
        let (peak, elementwise) = relativeDifferences(actual, expected)
        print("[\(name)] max |Δ| / max |ref| \(peak), elementwise relative \(elementwise)")
        #expect(
            peak <= tolerance, "\(name): \(peak) > \(tolerance)", sourceLocation: sourceLocation)
    }

    @Test("MERT's CQT and its chroma match nnAudio CQT1992v2 and librosa chroma_cqt")
    func mertCQT() throws {
        let samples = try Self.fixture("input")
        let cqt = try ConstantQTransform(configuration: .mert)(samples)
        #expect(cqt.shape == [226, 336])
        let kept = try cqt.indexSelect(
            alongAxis: 0, indices: Array(stride(from: 0, to: cqt.shape[0], by: Self.cqtFrameStride))
        )
        Self.expectRelative(
            kept, try Self.fixture("cqt_mert"), tolerance: Self.cqtTolerance,
            "MERT CQT")

        let chroma = try Chroma(cqt: .mert)(cqt)
        let reference = try Self.fixture("chroma_mert")
        expectClose(chroma, reference, tolerance: Self.chromaTolerance, "chroma vs librosa")
        print("[chroma] max |Δ| \(chroma.maximumDifference(to: reference))")
    }

    @Test("nnAudio's default CQT (reflection padding, 12 bins per octave) matches")
    func defaultCQT() throws {
        let cqt = try ConstantQTransform(configuration: .nnAudioDefault)(try Self.fixture("input"))
        Self.expectRelative(
            cqt, try Self.fixture("cqt_default"), tolerance: Self.cqtTolerance,
            "default CQT")
    }

    @Test("mel power, log-mel and MFCC match librosa's defaults")
    func librosaFeatures() throws {
        let samples = try Self.fixture("input")
        let melSpectrogram = try LibrosaMelSpectrogram(sampleRate: 22_050)
        let power = try melSpectrogram(samples)
        Self.expectRelative(
            power, try Self.fixture("mel_power"), tolerance: Self.melTolerance,
            "mel power")

        let decibels = try PowerToDecibels()(power)
        let referenceDecibels = try Self.fixture("log_mel_db")
        expectClose(decibels, referenceDecibels, tolerance: Self.decibelTolerance, "log-mel dB")

        let mfcc = try LibrosaMFCC(melSpectrogram: melSpectrogram)(samples)
        let referenceMFCC = try Self.fixture("mfcc")
        expectClose(mfcc, referenceMFCC, tolerance: Self.decibelTolerance, "MFCC")
        print(
            "[librosa] log-mel max |Δ| \(decibels.maximumDifference(to: referenceDecibels)) dB, "
                + "MFCC max |Δ| \(mfcc.maximumDifference(to: referenceMFCC))")
    }
}
