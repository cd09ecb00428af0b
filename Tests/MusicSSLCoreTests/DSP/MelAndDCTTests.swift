import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Mel scales, filterbanks and DCT")
struct MelAndDCTTests {
    @Test("mel scales match librosa and Kaldi and invert")
    func scales() {
        #expect(abs(MelScale.slaney.mel(fromHertz: 500) - 7.5) < 1e-12)
        #expect(abs(MelScale.slaney.mel(fromHertz: 4000) - 35.163_760_31) < 1e-7)
        // Kaldi's 1127 ln(1 + f/700); librosa's 2595 log₁₀ form gives 549.6387 (constants rounded).
        #expect(abs(MelScale.htk.mel(fromHertz: 440) - 549.641_513_55) < 1e-7)
        for scale in [MelScale.htk, .slaney] {
            for hertz in [0.0, 123.4, 999.9, 1000, 8000] {
                #expect(abs(scale.hertz(fromMel: scale.mel(fromHertz: hertz)) - hertz) < 1e-9)
            }
        }
    }

    @Test("Kaldi filterbank matches torchaudio get_mel_banks values")
    func kaldiFilterbank() throws {
        let bank = try MelFilterbank.kaldi(melCount: 23, fftSize: 512, sampleRate: 16000)
        #expect(bank.weights.shape == [23, 257])
        let w = bank.weights.scalars
        // torchaudio.compliance.kaldi.get_mel_banks(23, 512, 16000, 20, 0, 100, -500, 1)[0][0].
        let firstFilter: [Float] = [
            0, 0.149_327_9, 0.552_378_4, 0.939_236_6, 0.688_844_4, 0.330_755_7, 0,
        ]
        #expect(zip(w[0..<7], firstFilter).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(abs(w[(10 * 257)..<(11 * 257)].reduce(0, +) - 7.509_102_3) < 1e-4)
        #expect(abs(w[(22 * 257)..<(23 * 257)].reduce(0, +) - 26.071_915) < 1e-3)
        #expect(w[22 * 257 + 255] > 0 && w[22 * 257 + 256] == 0)  // Nyquist bin weight 0
        #expect(throws: TensorError.self) {
            try MelFilterbank.kaldi(melCount: 3, fftSize: 512, sampleRate: 16000)
        }
        #expect(throws: TensorError.self) {
            try MelFilterbank.kaldi(fftSize: 512, sampleRate: 16000, lowFrequency: 9000)
        }
    }

    @Test("librosa filterbank matches librosa.filters.mel values")
    func librosaFilterbank() throws {
        let slaney = try MelFilterbank.librosa(melCount: 40, fftSize: 512, sampleRate: 16000)
        #expect(slaney.weights.shape == [40, 257])
        let w = slaney.weights.scalars
        let first: [Float] = [
            0, 0.005_773_601_1, 0.011_547_202, 0.009_864_136_6, 0.004_090_535_5, 0,
        ]
        #expect(zip(w[0..<6], first).allSatisfy { abs($0 - $1) < 1e-8 })
        #expect(abs(w[(39 * 257)..<(40 * 257)].reduce(0, +) - 0.031_981_53) < 1e-6)
        #expect(abs((w[(20 * 257)..<(21 * 257)].max() ?? 0) - 0.007_259_790_3) < 1e-8)

        let htk = try MelFilterbank.librosa(
            melCount: 20, fftSize: 1024, sampleRate: 22050, minimumFrequency: 50,
            maximumFrequency: 8000, scale: .htk, normalization: .none)
        let row = Array(htk.weights.scalars[(5 * 513)..<(6 * 513)])
        #expect(row.firstIndex { $0 > 0 } == 30 && row.lastIndex { $0 > 0 } == 46)
        #expect(abs(row[30] - 0.010_052_886) < 1e-6 && abs(row[38] - 0.959_827_5) < 1e-6)
    }

    @Test("applying a filterbank equals the matrix product with its weights")
    func apply() throws {
        var generator = SplitMix64(seed: 5)
        let spectrum = Tensor.randomUniform([2, 7, 257], using: &generator)
        let bank = try MelFilterbank.kaldi(fftSize: 512, sampleRate: 16000)
        let mel = try bank.apply(spectrum)
        #expect(mel.shape == [2, 7, 23])
        let expected = try matmul(spectrum, bank.weights.transposed(0, 1))
        #expect(mel.maximumDifference(to: expected) < 1e-4)
        #expect(throws: TensorError.self) { try bank.apply(Tensor.zeros([3, 256])) }
    }

    @Test("DCT-II is orthonormal and matches scipy on a ramp")
    func dct() throws {
        let matrix = try DCT.typeIIMatrix(inputCount: 23, outputCount: 23)
        let identity = try matmul(matrix.transposed(0, 1), matrix)
        var eye = [Float](repeating: 0, count: 23 * 23)
        for i in 0..<23 { eye[i * 23 + i] = 1 }
        #expect(identity.maximumDifference(to: try Tensor(shape: [23, 23], scalars: eye)) < 1e-5)
        // scipy.fft.dct([0, 1, 2, 3], type=2, norm="ortho")
        let y = try DCT.typeII(Tensor([0, 1, 2, 3]))
        let scipy: [Float] = [3, -2.230_442_5, 0, -0.158_512_6]
        #expect(zip(y.scalars, scipy).allSatisfy { abs($0 - $1) < 1e-6 })
        let truncated = try DCT.typeII(Tensor.ones([5, 4]), outputCount: 2)
        #expect(truncated.shape == [5, 2] && abs(truncated.scalars[0] - 2) < 1e-6)
        #expect(throws: TensorError.self) { try DCT.typeIIMatrix(inputCount: 4, outputCount: 5) }
    }
}
