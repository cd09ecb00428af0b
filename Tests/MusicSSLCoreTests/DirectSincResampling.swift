import Foundation

/// torchaudio's resampling written out directly from its definition, for checking
/// ``SincResampler`` on inputs longer than the fixture's: the dense [phases, taps] Hann kernel in
/// Float64, the padded input, and one full dot product per output sample, all in Float64.
///
/// Slow (every tap of every phase, no caching) and independent of the production code's sparse
/// kernel, transposed input and SIMD tiles.
func directSincResample(
    _ samples: [Float], from inputRate: Int, to outputRate: Int, lowpassFilterWidth: Int = 6,
    rolloff: Double = 0.99
) -> [Float] {
    var (a, b) = (inputRate, outputRate)
    while b != 0 { (a, b) = (b, a % b) }
    let (R, P) = (inputRate / a, outputRate / a)
    let filterWidth = Double(lowpassFilterWidth)
    let base = Double(min(R, P)) * rolloff
    let width = Int((filterWidth * Double(R) / base).rounded(.up))
    let taps = 2 * width + R
    var kernel = [[Float]](repeating: [Float](repeating: 0, count: taps), count: P)
    for phase in 0..<P {
        for k in 0..<taps {
            let time = Double(Float(-phase) / Float(P)) + Double(k - width) / Double(R)
            let t = min(max(time * base, -filterWidth), filterWidth)
            let hann = pow(cos(t * .pi / filterWidth / 2), 2)
            let x = t * .pi
            kernel[phase][k] = Float((x == 0 ? 1 : sin(x) / x) * (hann * base / Double(R)))
        }
    }
    let padded =
        [Float](repeating: 0, count: width) + samples
        + [Float](repeating: 0, count: width + R)
    let count = (samples.count * P + R - 1) / R
    return (0..<count).map { m in
        let (block, phase) = m.quotientAndRemainder(dividingBy: P)
        var sum = 0.0
        for k in 0..<taps { sum += Double(kernel[phase][k]) * Double(padded[block * R + k]) }
        return Float(sum)
    }
}
