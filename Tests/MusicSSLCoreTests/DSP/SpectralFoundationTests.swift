import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Windows, real FFT, framing and STFT")
struct SpectralFoundationTests {
    @Test("windows match scipy and torch values")
    func windows() {
        let hann = WindowFunction.hann(.periodic).coefficients(length: 8)
        let scipyHann: [Float] = [
            0, 0.146_446_61, 0.5, 0.853_553_39, 1, 0.853_553_39, 0.5, 0.146_446_61,
        ]
        #expect(zip(hann, scipyHann).allSatisfy { abs($0 - $1) < 1e-7 })
        let hamming = WindowFunction.hamming(.symmetric).coefficients(length: 5)
        #expect(
            zip(hamming, [0.08, 0.54, 1, 0.54, 0.08] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
        let povey = WindowFunction.povey.coefficients(length: 5)
        #expect(
            zip(povey, [0, 0.554_784_4, 1, 0.554_784_4, 0] as [Float]).allSatisfy {
                abs($0 - $1) < 1e-6
            })
        let symmetricHann = WindowFunction.hann(.symmetric).coefficients(length: 5)
        #expect(symmetricHann == [0, 0.5, 1, 0.5, 0])
        #expect(WindowFunction.rectangular.coefficients(length: 3) == [1, 1, 1])
        #expect(WindowFunction.povey.coefficients(length: 1) == [1])
        #expect(WindowFunction.hann(.periodic).coefficients(length: 0).isEmpty)
    }

    @Test("real FFT equals a direct DFT for even and odd sizes")
    func realFFT() throws {
        var generator = SplitMix64(seed: 11)
        for size in [1, 2, 7, 12, 400] {
            let signal = Tensor.randomNormal([3, size], using: &generator)
            let fft = try RealFFT(size: size)
            let (real, imaginary) = try fft.transform(signal)
            #expect(real.shape == [3, size / 2 + 1] && imaginary.shape == real.shape)
            let x = signal.scalars
            var worst: Double = 0
            for row in 0..<3 {
                for k in 0..<fft.binCount {
                    var re = 0.0, im = 0.0
                    for n in 0..<size {
                        let angle = -2 * Double.pi * Double(k * n) / Double(size)
                        re += Double(x[row * size + n]) * cos(angle)
                        im += Double(x[row * size + n]) * sin(angle)
                    }
                    worst = max(worst, abs(re - Double(real.scalars[row * fft.binCount + k])))
                    worst = max(worst, abs(im - Double(imaginary.scalars[row * fft.binCount + k])))
                }
            }
            #expect(worst < 1e-4, "size \(size): max difference to the DFT \(worst)")
            let power = try fft.powerSpectrum(signal)
            let expectedPower = try real * real + imaginary * imaginary
            #expect(power.maximumDifference(to: expectedPower) < 1e-4)
            let magnitude = try fft.magnitudeSpectrum(signal)
            #expect(magnitude.maximumDifference(to: expectedPower.squareRoot()) < 1e-5)
        }
    }

    @Test("real FFT rejects a signal of the wrong length and a non-positive size")
    func realFFTErrors() throws {
        #expect(throws: TensorError.self) { try RealFFT(size: 0) }
        let fft = try RealFFT(size: 8)
        #expect(throws: TensorError.self) { try fft.powerSpectrum(Tensor.zeros([2, 7])) }
        #expect(throws: TensorError.self) { try fft.powerSpectrum(Tensor(scalar: 1)) }
    }

    @Test("framing counts frames as Kaldi and librosa and pads as numpy")
    func framing() throws {
        let signal = Tensor((0..<10).map(Float.init))
        let snipped = Framing(frameLength: 4, hopLength: 3)
        #expect(snipped.frameCount(sampleCount: 10) == 3)
        #expect(snipped.frameCount(sampleCount: 3) == 0)
        #expect(try snipped.frames(of: signal).scalars == [0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9])
        let reflected = Framing(frameLength: 4, hopLength: 4, padding: .centered(.reflect))
        let frames = try reflected.frames(of: signal)
        #expect(frames.shape == [3, 4])
        #expect(frames.scalars == [2, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        let zeros = Framing(frameLength: 4, hopLength: 4, padding: .centered(.constant))
        #expect(try zeros.frames(of: signal).scalars.prefix(4) == [0, 0, 0, 1])
        // numpy.pad(arange(3), 5, mode="reflect") starts [1, 0, 1, 2, 1].
        let short = Framing(frameLength: 10, hopLength: 10, padding: .centered(.reflect))
        let wrapped = try short.frames(of: Tensor([0, 1, 2]))
        #expect(wrapped.scalars.prefix(5) == [1, 0, 1, 2, 1])
        #expect(throws: TensorError.self) { try snipped.frames(of: Tensor.zeros([2, 5])) }
        #expect(throws: TensorError.self) {
            try Framing(frameLength: 4, hopLength: 0).frames(of: signal)
        }
    }

    @Test("STFT of a sine peaks at its bin and matches windowed frames through the FFT")
    func stft() throws {
        let rate = 8000.0
        let signal = Tensor((0..<4000).map { Float(sin(2 * Double.pi * 1000 * Double($0) / rate)) })
        let stft = STFT(fftSize: 256, hopLength: 64, windowLength: 200)
        let power = try stft.spectrogram(signal)
        #expect(power.shape == [1 + 4000 / 64, 129])
        #expect(stft.frameCount(sampleCount: 4000) == power.shape[0])
        let middle = Array(power.scalars[(30 * 129)..<(31 * 129)])
        #expect(middle.firstIndex(of: middle.max() ?? 0) == 32)  // 1000 Hz · 256 / 8000

        // The same frames by hand: zero-padded centring, window centred in the FFT frame.
        let frames = try Framing(frameLength: 256, hopLength: 64, padding: .centered(.constant))
            .frames(of: signal)
        var taper = [Float](repeating: 0, count: 256)
        let hann = WindowFunction.hann(.periodic).coefficients(length: 200)
        for j in 0..<200 { taper[28 + j] = hann[j] }
        let windowed = try frames * Tensor(taper)
        let expected = try RealFFT(size: 256).powerSpectrum(windowed)
        #expect(power.maximumDifference(to: expected) < 1e-3)
        let magnitude = try stft.spectrogram(signal, .magnitude)
        #expect(magnitude.squared().maximumDifference(to: power) < 1e-2)
        let (real, imaginary) = try stft.transform(signal)
        #expect(try (real * real + imaginary * imaginary).maximumDifference(to: power) < 1e-2)
    }

    @Test("STFT rejects a window longer than the FFT")
    func stftErrors() {
        let stft = STFT(fftSize: 256, windowLength: 300)
        #expect(throws: TensorError.self) { try stft.spectrogram(Tensor.zeros([1000])) }
        #expect(STFT().hopLength == 512)
    }
}
