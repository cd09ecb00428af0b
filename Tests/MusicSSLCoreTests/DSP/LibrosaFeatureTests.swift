import Foundation
import MusicSSLTestSupport
import Testing

@Suite("librosa-compatible mel and MFCC")
struct LibrosaFeatureTests {
    @Test("power_to_db: 10 log10 of power over the reference, floored 80 dB below the peak")
    func powerToDecibels() throws {
        let power = try Tensor(shape: [2, 3], scalars: [1, 100, 1e-3, 0, 1e-12, 10])
        expectClose(
            try PowerToDecibels()(power),
            try Tensor(shape: [2, 3], scalars: [0, 20, -30, -60, -60, 10]), tolerance: 1e-5,
            "default power_to_db")
        expectClose(
            try PowerToDecibels(reference: 10, dynamicRange: nil)(power),
            try Tensor(shape: [2, 3], scalars: [-10, 10, -40, -110, -110, 0]), tolerance: 1e-4,
            "power_to_db(ref=10, top_db=None)")
        #expect(throws: TensorError.self) { try PowerToDecibels(minimumPower: 0)(power) }
        #expect(throws: TensorError.self) { try PowerToDecibels(dynamicRange: -1)(power) }
        #expect(try PowerToDecibels()(Tensor.zeros([0, 128])).shape == [0, 128])
    }

    @Test("a 1 kHz tone peaks in the mel band around 1 kHz; frames are 1 + N / hop")
    func melTonePeak() throws {
        let mel = try LibrosaMelSpectrogram(sampleRate: 16_000)
        let samples = ConstantQTransformTests.tone(1_000, sampleRate: 16_000, count: 16_000)
        let power = try mel(samples)
        #expect(power.shape == [32, 128])
        let row = ConstantQTransformTests.row(power, 16)
        let peak = try #require(row.indices.max { row[$0] < row[$1] })
        // Slaney corners: 128 bands over 0 … 8 kHz; the peak band's span contains 1 kHz.
        let scale = MelScale.slaney
        let step = scale.mel(fromHertz: 8_000) / 129
        let lower = scale.hertz(fromMel: Double(peak) * step)
        let upper = scale.hertz(fromMel: Double(peak + 2) * step)
        #expect(lower < 1_000 && 1_000 < upper, "band \(peak): \(lower) … \(upper) Hz")
    }

    @Test("a 10× louder signal raises MFCC 0 by 20 √128 dB and leaves the others")
    func mfccGain() throws {
        var generator = SplitMix64(seed: 9)
        let noise = Tensor.randomNormal([8_000], using: &generator)
        let mfcc = try LibrosaMFCC(sampleRate: 8_000)
        let quiet = try mfcc(noise * 0.01)
        let loud = try mfcc(noise * 0.1)
        #expect(quiet.shape == [16, 20])
        let shift = Float(20 * 128.0.squareRoot())
        let difference = (try loud - quiet).scalars
        for (index, value) in difference.enumerated() {
            let expected: Float = index % 20 == 0 ? shift : 0
            #expect(abs(value - expected) < 1e-2, "coefficient \(index % 20): \(value)")
        }
    }

    @Test("bad arguments and signals throw")
    func badInput() throws {
        let mel = try LibrosaMelSpectrogram(sampleRate: 22_050)
        #expect(throws: TensorError.self) { try mel([]) }
        #expect(throws: TensorError.self) { try mel(Tensor.zeros([2, 4_096])) }
        #expect(throws: TensorError.self) { try LibrosaMelSpectrogram(sampleRate: 0) }
        #expect(throws: TensorError.self) {
            try LibrosaMelSpectrogram(sampleRate: 22_050, maximumFrequency: 0)
        }
        #expect(throws: TensorError.self) {
            try LibrosaMFCC(sampleRate: 22_050, coefficientCount: 0)
        }
        #expect(throws: TensorError.self) {
            try LibrosaMFCC(sampleRate: 22_050, coefficientCount: 129)
        }
    }
}
