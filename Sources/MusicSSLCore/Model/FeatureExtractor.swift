/// Turns waveforms into frames: the first stage of a ``MaskedPredictionModel``.
///
/// ``ConvFeatureExtractor`` (the wav2vec 2.0 CNN) is the built-in one; a spectral front end
/// conforms by saying how many frames it makes and computing them.
public protocol FeatureExtractor: Layer {
    /// Channels of each output frame.
    var outputChannels: Int { get }

    /// Samples between the starts of consecutive frames (320 for the base CNN: 50 frames per
    /// second at 16 kHz).
    var samplesPerFrame: Int { get }

    /// Frames made from `sampleCount` samples (0 when too short), so that targets computed
    /// elsewhere can be aligned to them.
    func frameCount(forSampleCount sampleCount: Int) -> Int

    /// - Parameter waveforms: `[batch, samples]`.
    /// - Returns: `[batch, frames, outputChannels]`, channels last.
    func callAsFunction(_ waveforms: Tensor) throws -> Tensor
}

extension ConvFeatureExtractor: FeatureExtractor {
    /// The product of the layers' strides.
    public var samplesPerFrame: Int { shapes.reduce(1) { $0 * $1.stride } }

    /// ⌊(N − kernel)/stride⌋ + 1 through every layer: ⌊(N − 400)/320⌋ + 1 for the base shapes.
    public func frameCount(forSampleCount sampleCount: Int) -> Int {
        var length = sampleCount
        for shape in shapes {
            guard length >= shape.kernelSize else { return 0 }
            length = (length - shape.kernelSize) / shape.stride + 1
        }
        return length
    }
}
