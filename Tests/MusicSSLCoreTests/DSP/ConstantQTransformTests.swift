import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Constant-Q transform")
struct ConstantQTransformTests {
    /// A small CQT (8 kHz, 24 bins from 100 Hz) whose half kernel width, 1024, is 16 hops.
    static let small = CQTConfiguration(
        sampleRate: 8_000, hopLength: 64, minimumFrequency: 100, binCount: 24,
        binsPerOctave: 12, padding: .constant)

    /// `amplitude · sin(2π f n / sampleRate + phase)` for `count` samples.
    static func tone(
        _ frequency: Double, sampleRate: Int, count: Int, amplitude: Double = 1,
        phase: Double = 0
    ) -> [Float] {
        (0..<count).map {
            Float(
                amplitude * sin(2 * Double.pi * frequency * Double($0) / Double(sampleRate) + phase)
            )
        }
    }

    static func row(_ tensor: Tensor, _ index: Int) -> [Float] {
        let width = tensor.shape[1]
        return Array(tensor.scalars[(index * width)..<((index + 1) * width)])
    }

    @Test("the MERT preset has nnAudio's kernel lengths, width and frame count")
    func mertGeometry() {
        let mert = CQTConfiguration.mert
        let lengths = mert.kernelLengths
        // nnAudio CQT1992v2(sr=24000, hop_length=320, fmin=32.7, n_bins=336, bins_per_octave=48)
        #expect(lengths.count == 336)
        #expect(Array(lengths.prefix(3)) == [50_460, 49_736, 49_023])
        #expect(Array(lengths.suffix(3)) == [412, 406, 400])
        #expect(lengths.reduce(0, +) == 3_492_205)
        #expect(mert.kernelWidth == 65_536)
        #expect(mert.frameCount(sampleCount: 72_000) == 226)
        #expect(abs(mert.qualityFactor - 68.75) < 0.01)
        #expect(abs((mert.binFrequencies.last ?? 0) - 4_125.6) < 0.1)
    }

    @Test("a tone at a bin's centre frequency peaks in that bin")
    func tonePeaks() throws {
        let cqt = try ConstantQTransform(configuration: .mert)
        for bin in [60, 150, 229, 300] {
            let frequency = cqt.binFrequencies[bin]
            let magnitude = try cqt(Self.tone(frequency, sampleRate: 24_000, count: 48_000))
            #expect(magnitude.shape == [151, 336])
            let middle = Self.row(magnitude, 75)
            let peak = middle.indices.max { middle[$0] < middle[$1] }
            #expect(peak == bin, "tone at \(frequency) Hz")
        }
    }

    @Test("wrap scaling gives about 1 for a unit sinusoid at a bin's frequency")
    func wrapScaling() throws {
        var configuration = Self.small
        configuration.outputScaling = .wrap
        let cqt = try ConstantQTransform(configuration: configuration)
        for bin in [0, 7, 23] {
            let samples = Self.tone(
                cqt.binFrequencies[bin], sampleRate: 8_000, count: 8_000, phase: 0.4)
            let value = Self.row(try cqt(samples), 60)[bin]
            #expect(abs(value - 1) < 0.01, "bin \(bin): \(value)")
        }
    }

    @Test("librosa scaling is the convolutional output times the square root of the length")
    func librosaScaling() throws {
        var configuration = Self.small
        let samples = Self.tone(311, sampleRate: 8_000, count: 4_000, amplitude: 0.3)
        let librosa = try ConstantQTransform(configuration: configuration)(samples)
        configuration.outputScaling = .convolutional
        let plain = try ConstantQTransform(configuration: configuration)(samples)
        let lengths = configuration.kernelLengths
        let width = lengths.count
        let scaled = plain.scalars.enumerated().map { $1 * Float(lengths[$0 % width]).squareRoot() }
        expectClose(
            librosa, try Tensor(shape: plain.shape, scalars: scaled), tolerance: 1e-5,
            "librosa vs scaled convolutional CQT")
    }

    @Test("unpadded frames equal the centred frames half a kernel width later")
    func unpaddedFrames() throws {
        var generator = SplitMix64(seed: 3)
        let samples = Tensor.randomNormal([5_000], using: &generator)
        let centred = try ConstantQTransform(configuration: Self.small)(samples)
        var configuration = Self.small
        configuration.padding = .none
        let unpadded = try ConstantQTransform(configuration: configuration)(samples)
        // (5000 − 2048) / 64 + 1 frames, frame t centred on sample 64 t + 1024 = 64 (t + 16).
        #expect(unpadded.shape == [47, 24])
        let shift = Self.small.kernelWidth / 2 / Self.small.hopLength
        let expected = try centred.sliced(alongAxis: 0, shift..<(shift + unpadded.shape[0]))
        expectClose(unpadded, expected, tolerance: 1e-5, "unpadded vs centred frames")
    }

    @Test("reflection padding equals zero padding of the explicitly mirrored signal")
    func reflectionPadding() throws {
        var generator = SplitMix64(seed: 4)
        let samples = Tensor.randomNormal([3_000], using: &generator).scalars
        var configuration = Self.small
        configuration.padding = .reflect
        let reflected = try ConstantQTransform(configuration: configuration)(samples)
        // Mirror 1088 = 17 hops at each end (more than any kernel reaches), without repeating
        // the end samples, as torch.nn.ReflectionPad1d.
        let extra = 17 * configuration.hopLength
        let mirrored =
            (1...extra).reversed().map { samples[$0] } + samples
            + (1...extra).map { samples[samples.count - 1 - $0] }
        let zeroPadded = try ConstantQTransform(configuration: Self.small)(mirrored)
        let expected = try zeroPadded.sliced(alongAxis: 0, 17..<(17 + reflected.shape[0]))
        expectClose(reflected, expected, tolerance: 1e-5, "reflect vs mirrored constant")
    }

    @Test("bad settings and signals throw instead of crashing")
    func badInput() throws {
        #expect(throws: TensorError.self) { try ConstantQTransform(configuration: .mert)([]) }
        #expect(throws: TensorError.self) {
            try ConstantQTransform(configuration: .mert)(Tensor.zeros([2, 100]))
        }
        var aboveNyquist = CQTConfiguration.mert
        aboveNyquist.binCount = 500
        #expect(throws: TensorError.self) { try ConstantQTransform(configuration: aboveNyquist) }
        var zeroHop = Self.small
        zeroHop.hopLength = 0
        #expect(throws: TensorError.self) { try ConstantQTransform(configuration: zeroHop) }
        var zeroFrequency = Self.small
        zeroFrequency.minimumFrequency = 0
        #expect(throws: TensorError.self) { try ConstantQTransform(configuration: zeroFrequency) }
        var reflect = Self.small
        reflect.padding = .reflect
        #expect(throws: TensorError.self) {
            try ConstantQTransform(configuration: reflect)([Float](repeating: 0.1, count: 1_024))
        }
        var unpadded = Self.small
        unpadded.padding = .none
        #expect(throws: TensorError.self) {
            try ConstantQTransform(configuration: unpadded)([Float](repeating: 0.1, count: 2_047))
        }
        #expect(
            try ConstantQTransform(configuration: unpadded)(Tensor.zeros([2_048])).shape == [1, 24])
    }
}
