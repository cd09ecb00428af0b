/// How samples beyond a signal's ends are made up when frames reach past them.
public enum PaddingMode: String, Codable, Sendable, Equatable {
    /// Zeros (numpy `pad(mode="constant")`, librosa ≥ 0.10's STFT default).
    case constant
    /// The signal mirrored about its end samples without repeating them, `[2, 1, | 0, 1, 2]`
    /// (numpy `pad(mode="reflect")`, torch.stft's default).
    case reflect
}

/// Where the first frame starts.
public enum FramePadding: Codable, Sendable, Equatable {
    /// No padding: frame t covers samples t·hop ..< t·hop + length, and only frames that lie wholly
    /// inside the signal are kept (Kaldi's `snip_edges`, librosa `center=False`).
    case none
    /// ⌊length / 2⌋ padded samples on each side, so frame t is centred on sample t·hop
    /// (librosa and torch `center=True`).
    case centered(PaddingMode)
}

/// Cuts a signal into overlapping frames of fixed length.
///
/// ```swift
/// let framing = Framing(frameLength: 400, hopLength: 160)   // 25 ms / 10 ms at 16 kHz
/// let frames = try framing.frames(of: samples)              // [frames, 400]
/// ```
public struct Framing: Codable, Sendable, Equatable {
    /// Samples per frame.
    public var frameLength: Int
    /// Samples between the starts of consecutive frames.
    public var hopLength: Int
    /// Where the first frame starts and how the ends are extended.
    public var padding: FramePadding

    /// A framing of `frameLength` samples every `hopLength` samples.
    public init(frameLength: Int, hopLength: Int, padding: FramePadding = .none) {
        self.frameLength = frameLength
        self.hopLength = hopLength
        self.padding = padding
    }

    /// Samples added before the signal: 0, or ⌊frameLength / 2⌋ when centred.
    public var leadingPadding: Int {
        if case .centered = padding { return frameLength / 2 }
        return 0
    }

    /// The number of frames a signal of `sampleCount` samples gives: 1 + ⌊(N' − length) / hop⌋
    /// for the padded length N', or 0 when N' < length.
    public func frameCount(sampleCount: Int) -> Int {
        let padded = sampleCount + 2 * leadingPadding
        guard frameLength > 0, hopLength > 0, padded >= frameLength else { return 0 }
        return 1 + (padded - frameLength) / hopLength
    }

    /// The frames of a signal.
    ///
    /// - Parameter signal: [samples]
    /// - Returns: [frames, frameLength]
    /// - Throws: ``TensorError`` when the signal is not one-dimensional or the lengths are not
    ///   positive.
    public func frames(of signal: Tensor) throws -> Tensor {
        try validate(signal, "Framing.frames")
        let count = frameCount(sampleCount: signal.count)
        let length = frameLength
        let samples = UnsafeBufferPointer(start: signal.base, count: signal.count)
        return Tensor.filling([count, length]) { out in
            parallelChunks(count, cost: length) { range in
                for t in range { copyFrame(t, of: samples, into: out + t * length) }
            }
        }
    }

    func validate(_ signal: Tensor, _ operation: String) throws {
        guard signal.rank == 1 else {
            throw TensorError(
                operation, "expected a signal of shape [samples], got \(signal.shape)")
        }
        guard frameLength > 0, hopLength > 0 else {
            throw TensorError(
                operation,
                "frame length and hop must be positive, got \(frameLength) and \(hopLength)")
        }
    }

    /// Writes frame `t` (frameLength samples, padding included) to `out`.
    @inline(__always)
    func copyFrame(
        _ t: Int, of samples: UnsafeBufferPointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        let start = t * hopLength - leadingPadding
        let n = samples.count
        if start >= 0 && start + frameLength <= n, let base = samples.baseAddress {
            out.update(from: base + start, count: frameLength)
            return
        }
        for j in 0..<frameLength { out[j] = paddedSample(start + j, samples) }
    }

    /// The sample at `index` of the signal extended by the padding mode.
    private func paddedSample(_ index: Int, _ samples: UnsafeBufferPointer<Float>) -> Float {
        let n = samples.count
        if index >= 0 && index < n { return samples[index] }
        guard case .centered(.reflect) = padding, n > 0 else { return 0 }
        guard n > 1 else { return samples[0] }
        // numpy's reflect repeats the mirror image with period 2(n − 1) when the padding is
        // longer than the signal.
        let period = 2 * (n - 1)
        var folded = index % period
        if folded < 0 { folded += period }
        return samples[folded < n ? folded : period - folded]
    }
}
