import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Chroma")
struct ChromaTests {
    @Test("MERT's CQT bins fold into classes centred on their pitches, bin 0 being C")
    func mertPitchClasses() throws {
        let classes = try Chroma(cqt: .mert).pitchClasses
        #expect(classes.count == 336)
        #expect([46, 47, 0, 1, 48, 49, 335].map { classes[$0] } == [0, 0, 0, 0, 0, 0, 0])
        #expect([2, 3, 4, 5].map { classes[$0] } == [1, 1, 1, 1])
        #expect(classes[16] == 4)  // E: 16 bins = 4 semitones above C
        #expect(classes[28] == 7)  // G
        #expect(classes[45] == 11)  // B + 25 cents
    }

    @Test("the rotation follows the pitch class of the minimum frequency")
    func rotation() throws {
        // A1 = 55 Hz: bin 0 is pitch class 9 (librosa rolls by round(midi mod 12)).
        let fromA = try Chroma(binCount: 24, binsPerOctave: 12, minimumFrequency: 55)
        #expect(fromA.pitchClasses.prefix(4) == [9, 10, 11, 0])
        // 24 chroma: quarter tones, 2 CQT bins each, bin 0 from C.
        let quarterTones = try Chroma(binCount: 48, binsPerOctave: 48, chromaCount: 24)
        #expect(quarterTones.pitchClasses.prefix(5) == [0, 1, 1, 2, 2])
        #expect(quarterTones.pitchClasses[47] == 0)
    }

    @Test("a C-major triad lights up C, E and G")
    func cMajorTriad() throws {
        let count = 48_000
        var samples = [Float](repeating: 0, count: count)
        for midi in [60.0, 64.0, 67.0] {
            let frequency = 440 * pow(2, (midi - 69) / 12)
            let tone = ConstantQTransformTests.tone(
                frequency, sampleRate: 24_000, count: count, amplitude: 0.3, phase: midi)
            for n in 0..<count { samples[n] += tone[n] }
        }
        let cqt = try ConstantQTransform(configuration: .mert)(samples)
        let chroma = try Chroma(cqt: .mert)(cqt)
        #expect(chroma.shape == [151, 12])
        for frame in [40, 75, 110] {
            let row = ConstantQTransformTests.row(chroma, frame)
            let strongest = Set(row.indices.sorted { row[$0] > row[$1] }.prefix(3))
            #expect(strongest == [0, 4, 7], "frame \(frame): \(row)")
            #expect(row.max() == 1)
        }
    }

    @Test("frames are divided by their largest class; silent frames stay zero")
    func normalization() throws {
        let cqt = try Tensor(shape: [2, 4], scalars: [0, 0, 0, 0, 1, 2, 3, 4])
        let chroma = try Chroma(binCount: 4, binsPerOctave: 4, chromaCount: 4)
        expectClose(
            try chroma(cqt), try Tensor(shape: [2, 4], scalars: [0, 0, 0, 0, 0.25, 0.5, 0.75, 1]),
            tolerance: 0, "normalised chroma")
        let summed = try Chroma(binCount: 4, binsPerOctave: 4, chromaCount: 4, normalization: .none)
        expectClose(try summed(cqt), cqt, tolerance: 0, "unnormalised chroma")
    }

    @Test("inconsistent counts and shapes throw")
    func badInput() throws {
        #expect(throws: TensorError.self) { try Chroma(binCount: 36, binsPerOctave: 10) }
        #expect(throws: TensorError.self) { try Chroma(binCount: 0, binsPerOctave: 12) }
        #expect(throws: TensorError.self) {
            try Chroma(binCount: 12, binsPerOctave: 12, minimumFrequency: -1)
        }
        let chroma = try Chroma(binCount: 24, binsPerOctave: 12)
        #expect(throws: TensorError.self) { try chroma(Tensor.zeros([5, 23])) }
        #expect(throws: TensorError.self) { try chroma(Tensor.zeros([24])) }
    }
}
