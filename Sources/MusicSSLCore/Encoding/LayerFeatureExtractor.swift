/// How frame features of one window are summarised.
public enum FeaturePooling: String, Codable, Sendable, CaseIterable {
    /// The mean over the window's frames (MARBLE's per-window features).
    case mean
    /// Every frame kept; windows are joined along time.
    case none
}

/// Frozen features of a whole recording from an ``EncoderModel``: the waveform is cut into
/// windows (30 s by default, as MARBLE), each window goes through the model in evaluation mode
/// without recording gradients, and the chosen hidden states are kept per frame or averaged per
/// window.
///
/// ```swift
/// let extractor = LayerFeatureExtractor(model: model, layers: [0, 6, 12], pooling: .mean)
/// let features = try extractor.features(of: samples)   // [3, windows, 768]
/// ```
public struct LayerFeatureExtractor {
    /// The model; switched to evaluation mode for each call.
    public let model: EncoderModel
    /// Hidden-state indices to keep (0 is the Transformer's input); `nil` keeps all.
    public var layers: [Int]?
    /// Per-frame or per-window features.
    public var pooling: FeaturePooling
    /// Window length in seconds.
    public var windowSeconds: Double
    /// A trailing window shorter than this is dropped unless it is the only one (MARBLE drops
    /// pieces under 1 s).
    public var minimumWindowSeconds: Double

    /// Creates an extractor; see the properties for the meaning and defaults of each argument.
    public init(
        model: EncoderModel, layers: [Int]? = nil, pooling: FeaturePooling = .mean,
        windowSeconds: Double = 30, minimumWindowSeconds: Double = 1
    ) {
        self.model = model
        self.layers = layers
        self.pooling = pooling
        self.windowSeconds = windowSeconds
        self.minimumWindowSeconds = minimumWindowSeconds
    }

    /// The sample ranges the waveform is cut into.
    public func windows(sampleCount: Int) -> [Range<Int>] {
        Self.windows(
            sampleCount: sampleCount, sampleRate: model.configuration.sampleRate,
            windowSeconds: windowSeconds, minimumWindowSeconds: minimumWindowSeconds)
    }

    /// The consecutive ranges of `windowSeconds` that `sampleCount` samples at `sampleRate` are
    /// cut into; a trailing range shorter than `minimumWindowSeconds` is dropped unless it is the
    /// only one. Shared by every feature recipe that follows MARBLE's windowing.
    public static func windows(
        sampleCount: Int, sampleRate: Int, windowSeconds: Double, minimumWindowSeconds: Double
    ) -> [Range<Int>] {
        let rate = Double(sampleRate)
        let length = Swift.max(1, Int(windowSeconds * rate))
        let minimum = Int(minimumWindowSeconds * rate)
        var ranges: [Range<Int>] = []
        var start = 0
        while start < sampleCount {
            let end = Swift.min(start + length, sampleCount)
            if end - start >= minimum || ranges.isEmpty { ranges.append(start..<end) }
            start = end
        }
        return ranges
    }

    /// Features of `samples` (mono, at the model's sample rate).
    ///
    /// - Returns: `[layers, windows, dimensions]` when pooled, `[layers, frames, dimensions]`
    ///   otherwise.
    /// - Throws: ``TensorError`` for an out-of-range layer or a recording shorter than the
    ///   extractor's receptive field (400 samples).
    public func features(of samples: [Float]) throws -> Tensor {
        let layerCount = model.configuration.layerCount
        let selected = layers ?? Array(0...layerCount)
        if let bad = selected.first(where: { $0 < 0 || $0 > layerCount }) {
            throw TensorError("LayerFeatureExtractor", "layer \(bad) is outside 0...\(layerCount)")
        }
        model.setTraining(false)
        var generator = SplitMix64(seed: 0)  // unused in evaluation mode: no dropout, no layer drop
        var perWindow: [[Tensor]] = []  // [window][layer] of [frames, D] or [1, D]
        for window in windows(sampleCount: samples.count) {
            let waveform = try Tensor(shape: [1, window.count], scalars: Array(samples[window]))
            let states = try noGrad { try model(waveform, using: &generator).encoder.hiddenStates }
            perWindow.append(try selected.map { index in
                let frames = try states[index].reshaped(to: [states[index].shape[1], states[index].shape[2]])
                return pooling == .mean ? try frames.mean(alongAxes: [0], keepingDimensions: true) : frames
            })
        }
        let byLayer = try selected.indices.map { position in
            try Tensor.concatenate(perWindow.map { $0[position] }, alongAxis: 0)
        }
        return try Tensor.stack(byLayer, alongAxis: 0)
    }
}
