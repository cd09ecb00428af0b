import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Kaldi features: options, deltas, invariants and bad input")
struct KaldiFeatureTests {
    /// A chord of three tones plus noise, `seconds` long.
    static func chord(rate: Int, seconds: Double, seed: UInt64 = 1) -> [Float] {
        var generator = SplitMix64(seed: seed)
        let count = Int(Double(rate) * seconds)
        let noise = Tensor.randomNormal([count], using: &generator).scalars
        return (0..<count).map { n in
            let t = Double(n) / Double(rate)
            let tones = [220.0, 277.18, 329.63].reduce(0) { $0 + sin(2 * Double.pi * $1 * t) }
            return Float(0.25 * tones) + 0.01 * noise[n]
        }
    }

    @Test("deltas match compute_deltas on hand values, with replicate padding")
    func deltaValues() throws {
        let x = try Tensor(shape: [5, 1], scalars: [0, 1, 4, 9, 16])
        let five = try deltas(x)
        let expected: [Float] = [0.9, 2.2, 4, 4.2, 3.1]
        #expect(zip(five.scalars, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        // torchaudio: win_length 3 and 4 both reach one frame either side.
        for window in [3, 4] {
            let three = try deltas(x, window: window)
            #expect(
                zip(three.scalars, [0.5, 2, 4, 6, 3.5] as [Float]).allSatisfy {
                    abs($0 - $1) < 1e-6
                })
        }
        let columns = try deltas(Tensor(shape: [2, 3], scalars: [1, 2, 3, 1, 2, 3]))
        #expect(columns.scalars == [0, 0, 0, 0, 0, 0])
        #expect(try deltas(Tensor.zeros([0, 4])).shape == [0, 4])
        #expect(throws: TensorError.self) { try deltas(Tensor.zeros([4])) }
        #expect(throws: TensorError.self) { try deltas(Tensor.zeros([4, 2]), window: 2) }
    }

    @Test("frame counts follow Kaldi's snip-edges rule at any sample rate")
    func frameCounts() throws {
        let configuration = KaldiFeatureConfiguration()
        #expect(configuration.frameLength(sampleRate: 16_000) == 400)
        #expect(configuration.frameShift(sampleRate: 16_000) == 160)
        #expect(configuration.frameLength(sampleRate: 22_050) == 551)
        #expect(configuration.frameShift(sampleRate: 22_050) == 220)
        #expect(configuration.frameLength(sampleRate: 24_000) == 600)
        #expect(configuration.frameCount(sampleCount: 16_000, sampleRate: 16_000) == 98)
        #expect(configuration.frameCount(sampleCount: 399, sampleRate: 16_000) == 0)
        let samples = Self.chord(rate: 24_000, seconds: 0.5)
        let mfcc = try KaldiMFCC(.kaldi39)(samples, sampleRate: 24_000)
        #expect(mfcc.shape == [1 + (12_000 - 600) / 240, 39])
    }

    @Test("variants have 39 and 60 dimensions laid out as [static | delta | delta-delta]")
    func variants() throws {
        let samples = Self.chord(rate: 16_000, seconds: 1)
        let plain = try KaldiMFCC()(samples, sampleRate: 16_000)
        #expect(plain.shape == [98, 13])
        for variant in MFCCVariant.allCases {
            let mfcc = try KaldiMFCC(variant)
            #expect(mfcc.dimensions == variant.dimensions)
            let features = try mfcc(samples, sampleRate: 16_000)
            let ceps = variant.configuration.cepstralCount
            #expect(features.shape == [98, 3 * ceps])
            let statics = try features.sliced(alongAxis: 1, 0..<ceps)
            let delta = try features.sliced(alongAxis: 1, ceps..<(2 * ceps))
            let deltaDelta = try features.sliced(alongAxis: 1, (2 * ceps)..<(3 * ceps))
            #expect(delta.maximumDifference(to: try deltas(statics)) < 1e-5)
            #expect(deltaDelta.maximumDifference(to: try deltas(delta)) < 1e-5)
            if ceps == 13 { #expect(statics.maximumDifference(to: plain) == 0) }
        }
        #expect(MFCCVariant.kaldi39.dimensions == 39 && MFCCVariant.kaldi60.dimensions == 60)
    }

    @Test("MFCC is the liftered DCT of the filterbank")
    func mfccFromFbank() throws {
        let samples = Self.chord(rate: 16_000, seconds: 0.5)
        let fbank = try KaldiFbank()(samples, sampleRate: 16_000)
        #expect(fbank.shape == [48, 23])
        let cepstra = try DCT.typeII(fbank, outputCount: 13)
        let lifter = Tensor((0..<13).map { Float(1 + 11 * sin(Double.pi * Double($0) / 22)) })
        let expected = try cepstra * lifter
        let mfcc = try KaldiMFCC()(Tensor(samples), sampleRate: 16_000)
        #expect(mfcc.maximumDifference(to: expected) < 1e-4)
        let withDeltas = try KaldiFbank(configuration: KaldiFeatureConfiguration(deltaOrder: 1))(
            samples, sampleRate: 16_000)
        #expect(withDeltas.shape == [48, 46])
    }

    @Test("silence gives the log floor and short input gives zero frames")
    func edges() throws {
        let silence = try KaldiFbank()([Float](repeating: 0, count: 800), sampleRate: 16_000)
        #expect(silence.shape == [3, 23])
        #expect(silence.scalars.allSatisfy { $0 == log(Float.ulpOfOne) })
        #expect(
            try KaldiMFCC(.kaldi39)([Float](repeating: 0.1, count: 399), sampleRate: 16_000).shape
                == [0, 39])
        #expect(try KaldiMFCC(.kaldi39)([], sampleRate: 16_000).shape == [0, 39])
    }

    @Test("bad options, rates and samples throw errors naming the problem")
    func badInput() throws {
        #expect(throws: TensorError.self) {
            try KaldiMFCC(configuration: KaldiFeatureConfiguration(cepstralCount: 24))
        }
        #expect(throws: TensorError.self) {
            try KaldiMFCC(configuration: KaldiFeatureConfiguration(deltaOrder: 3))
        }
        #expect(throws: TensorError.self) {
            try KaldiFbank(configuration: KaldiFeatureConfiguration(melBinCount: 3))
        }
        let mfcc = try KaldiMFCC(.kaldi39)
        let samples = Self.chord(rate: 16_000, seconds: 0.1)
        #expect(throws: TensorError.self) { try mfcc(samples, sampleRate: 0) }
        #expect(throws: TensorError.self) { try mfcc(samples, sampleRate: 50) }  // 1-sample frames
        #expect(throws: TensorError.self) { try mfcc(Tensor.zeros([2, 800]), sampleRate: 16_000) }
        var corrupted = samples
        corrupted[500] = .nan
        do {
            _ = try mfcc(corrupted, sampleRate: 16_000)
            Issue.record("NaN samples were accepted")
        } catch let error as TensorError {
            // Sample 500 lies in frames 1 (160..<560) and 2.
            #expect(error.message.contains("frame 1)") && error.message.contains("NaN"))
        }
        corrupted[500] = 0
        corrupted[1400] = .infinity
        #expect(throws: TensorError.self) { try KaldiFbank()(corrupted, sampleRate: 16_000) }
    }

    @Test("configurations round-trip through JSON")
    func codable() throws {
        let configuration = KaldiFeatureConfiguration(
            window: .hamming(.symmetric), melBinCount: 40, cepstralCount: 20, deltaOrder: 2)
        let data = try JSONEncoder().encode(configuration)
        #expect(
            try JSONDecoder().decode(KaldiFeatureConfiguration.self, from: data) == configuration)
    }

    @Test("results do not depend on the thread count")
    func threadCountInvariance() throws {
        let samples = Self.chord(rate: 16_000, seconds: 2)
        let single = try Parallelism.withThreadCount(1) {
            try KaldiMFCC(.kaldi39)(samples, sampleRate: 16_000)
        }
        let several = try Parallelism.withThreadCount(4) {
            try KaldiMFCC(.kaldi39)(samples, sampleRate: 16_000)
        }
        #expect(single.maximumDifference(to: several) == 0)
    }
}
