import Foundation
import MusicSSLTestSupport
import Testing

/// Parity with torchaudio on `Fixtures/kaldi` (Tests/FixtureGenerators/kaldi_features.py): a
/// changing chord plus noise, 3 s at 16 kHz and 1 s at 22.05 kHz, through
/// `torchaudio.compliance.kaldi.fbank` / `.mfcc(use_energy=False)` and fairseq's delta stacking.
@Suite("Kaldi features match torchaudio")
struct KaldiParityTests {
    /// Largest absolute difference allowed (issue 3); measured 1.3e-5 (fbank) and 4.6e-5 (MFCC).
    static let tolerance: Float = 1e-3

    static func fixture(_ name: String) throws -> Tensor {
        try Fixture.loadNumPy("kaldi/\(name)", in: Bundle.module)
    }

    /// Compares and prints the largest difference, so that a passing run still reports it.
    static func compare(_ actual: Tensor, _ name: String) throws {
        let expected = try fixture(name)
        print(
            "[KaldiParity] \(name): max |MusicSSL − torchaudio| = \(actual.maximumDifference(to: expected))"
        )
        expectClose(actual, expected, tolerance: tolerance, "\(name) vs torchaudio")
    }

    @Test("fbank matches torchaudio at 16 kHz and 22.05 kHz", arguments: [16_000, 22_050])
    func fbank(rate: Int) throws {
        let waveform = try Self.fixture("waveform_\(rate)")
        try Self.compare(try KaldiFbank()(waveform, sampleRate: rate), "fbank_\(rate)")
    }

    @Test(
        "39-dim MFCC with deltas matches torchaudio at 16 kHz and 22.05 kHz",
        arguments: [16_000, 22_050])
    func mfcc39(rate: Int) throws {
        let waveform = try Self.fixture("waveform_\(rate)")
        try Self.compare(try KaldiMFCC(.kaldi39)(waveform, sampleRate: rate), "mfcc39_\(rate)")
    }

    @Test("60-dim MFCC with deltas matches torchaudio with num_ceps 20")
    func mfcc60() throws {
        let waveform = try Self.fixture("waveform_16000")
        try Self.compare(try KaldiMFCC(.kaldi60)(waveform, sampleRate: 16_000), "mfcc60_16000")
    }

    @Test("the fixture signal is not trivial: loud, noisy and changing")
    func fixtureIsMusic() throws {
        let waveform = try Self.fixture("waveform_16000").scalars
        #expect(waveform.count == 48_000)
        let peak = waveform.map(abs).max() ?? 0
        #expect(peak > 0.5 && peak <= 1)
        let mfcc = try Self.fixture("mfcc39_16000")
        // The chord change halfway moves C1; deltas are far from zero somewhere.
        let deltas = try mfcc.sliced(alongAxis: 1, 13..<26).scalars.map(abs)
        #expect((deltas.max() ?? 0) > 1)
    }
}
