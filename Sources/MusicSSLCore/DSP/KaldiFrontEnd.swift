import Foundation

/// The part of Kaldi's feature pipeline that filterbanks and MFCCs share, for one sample rate:
/// frame → DC removal → pre-emphasis → window → zero-pad → FFT → power → mel → log.
///
/// Each step follows `torchaudio.compliance.kaldi` (`_get_window`, `fbank`) and runs frame by
/// frame in parallel chunks, each with its own FFT buffers, so a frame's samples stay in cache
/// from slicing to log mel energies.
struct KaldiFrontEnd {
    let frameLength: Int
    let frameShift: Int
    let preemphasis: Float
    let window: [Float]
    let fft: RealFFT
    let filterbank: MelFilterbank

    /// torch.finfo(torch.float).eps, Kaldi's floor before the log.
    static let logFloor = Float.ulpOfOne

    init(_ configuration: KaldiFeatureConfiguration, sampleRate: Int, operation: String) throws {
        guard sampleRate > 0 else {
            throw TensorError(operation, "sample rate must be positive, got \(sampleRate)")
        }
        frameLength = configuration.frameLength(sampleRate: sampleRate)
        frameShift = configuration.frameShift(sampleRate: sampleRate)
        guard frameLength >= 2, frameShift > 0 else {
            throw TensorError(
                operation,
                "frames of \(configuration.frameLengthMilliseconds) ms every "
                    + "\(configuration.frameShiftMilliseconds) ms at \(sampleRate) Hz are "
                    + "\(frameLength) samples every \(frameShift); need at least 2 and 1")
        }
        guard (0...1).contains(configuration.preemphasisCoefficient) else {
            throw TensorError(
                operation,
                "pre-emphasis must be in [0, 1], got \(configuration.preemphasisCoefficient)")
        }
        preemphasis = configuration.preemphasisCoefficient
        window = configuration.window.coefficients(length: frameLength)
        // round_to_power_of_two: the smallest power of two ≥ the frame length.
        var fftSize = 1
        while fftSize < frameLength { fftSize *= 2 }
        fft = try RealFFT(size: fftSize)
        filterbank = try MelFilterbank.kaldi(
            melCount: configuration.melBinCount, fftSize: fftSize, sampleRate: Double(sampleRate),
            lowFrequency: configuration.lowFrequency, highFrequency: configuration.highFrequency)
    }

    func frameCount(sampleCount: Int) -> Int {
        Framing(frameLength: frameLength, hopLength: frameShift).frameCount(
            sampleCount: sampleCount)
    }

    /// Computes the log mel energies of every frame and hands each frame's `melBinCount` values
    /// to `body` (frame index, values), from several threads at once.
    ///
    /// - Throws: ``TensorError`` naming the first frame whose samples are not all finite.
    func forEachLogMelFrame(
        _ samples: UnsafeBufferPointer<Float>, operation: String,
        _ body: (Int, UnsafeMutablePointer<Float>) -> Void
    ) throws {
        guard let signal = samples.baseAddress else { return }
        let frames = frameCount(sampleCount: samples.count)
        let length = frameLength, shift = frameShift, coefficient = preemphasis
        let fftSize = fft.size, bins = fft.binCount, mels = filterbank.melCount
        let nonFinite = FirstBadFrame()
        try window.withUnsafeBufferPointer { w in
            try fft.plan.forEachChunk(rows: frames, cost: 8 * fftSize) { range, buffers in
                let power = UnsafeMutablePointer<Float>.allocate(capacity: bins + mels)
                defer { power.deallocate() }
                let mel = power + bins
                let x = buffers.input
                // The zero padding up to the FFT size is never overwritten.
                (x + length).initialize(repeating: 0, count: fftSize - length)
                for t in range {
                    let frame = signal + t * shift
                    let total = sumContiguous(frame, length)
                    guard total.isFinite else {
                        nonFinite.record(t)
                        continue
                    }
                    let mean = total / Float(length)
                    // Pre-emphasis after DC removal; the first sample uses itself as its
                    // predecessor (torchaudio pads with "replicate").
                    x[0] = ((frame[0] - mean) - coefficient * (frame[0] - mean)) * w[0]
                    for j in 1..<length {
                        x[j] = ((frame[j] - mean) - coefficient * (frame[j - 1] - mean)) * w[j]
                    }
                    fft.plan.execute(buffers)
                    writePowerSpectrum(buffers.output, bins, power)
                    filterbank.apply(row: power, into: mel)
                    for m in 0..<mels { mel[m] = _logf(Swift.max(mel[m], Self.logFloor)) }
                    body(t, mel)
                }
            }
        }
        if let frame = nonFinite.first {
            throw TensorError(
                operation,
                "samples \(frame * shift)..<\(frame * shift + length) (frame \(frame)) contain "
                    + "NaN or infinity")
        }
    }
}

/// The lowest frame index, across threads, whose samples were not finite.
private final class FirstBadFrame: @unchecked Sendable {
    private let lock = NSLock()
    private var frame: Int?

    func record(_ index: Int) {
        lock.lock()
        frame = Swift.min(frame ?? index, index)
        lock.unlock()
    }

    var first: Int? {
        lock.lock()
        defer { lock.unlock() }
        return frame
    }
}
