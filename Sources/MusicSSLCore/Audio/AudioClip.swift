/// Decoded mono audio.
public struct AudioClip: Sendable {
    /// Samples, nominally in [-1, 1]: integer and compressed formats are scaled into that
    /// range; float files are returned as stored. Shape: [frames].
    public var samples: [Float]
    /// Sample rate of `samples` in Hz.
    public var sampleRate: Int

    /// Creates a clip of `samples` at `sampleRate` Hz.
    public init(samples: [Float], sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    /// The length in seconds.
    public var durationSeconds: Double { Double(samples.count) / Double(sampleRate) }
}
