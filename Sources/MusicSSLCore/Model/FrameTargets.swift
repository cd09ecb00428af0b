/// What a ``TargetProvider`` asks the model to predict for each frame.
public enum FrameTargets {
    /// The id of ``ignoredClass`` marks frames without a target.
    public static let ignoredClass = -100

    /// A class id per frame, `batch · frames` row-major (HuBERT's cluster labels), or
    /// ``ignoredClass``.
    case classes([Int], classCount: Int)
    /// A vector per frame, `[batch, frames, dimensions]` (data2vec's teacher average, MERT's CQT).
    case vectors(Tensor)
}

/// What the model computed before the targets are needed: everything a ``TargetProvider`` may
/// read.
public struct TargetContext {
    /// The batch being trained on.
    public var batch: PretrainingBatch
    /// Frames per example after the feature extractor.
    public var frameCount: Int
    /// Real frames of each example.
    public var frameLengths: [Int]
    /// `batch · frames` flags, true for padding frames; `nil` when none is padded.
    public var paddingMask: [Bool]?
    /// `batch · frames` flags, true for masked frames.
    public var mask: [Bool]
    /// Projected features before input dropout and masking, `[batch, frames, dimensions]`
    /// (data2vec's teacher input, fairseq's `pre_encoder_features`), outside the graph.
    public var unmaskedFeatures: Tensor

    /// Creates a context (the model does; tests and custom training loops may too).
    public init(
        batch: PretrainingBatch, frameCount: Int, frameLengths: [Int], paddingMask: [Bool]?, mask: [Bool],
        unmaskedFeatures: Tensor
    ) {
        self.batch = batch
        self.frameCount = frameCount
        self.frameLengths = frameLengths
        self.paddingMask = paddingMask
        self.mask = mask
        self.unmaskedFeatures = unmaskedFeatures
    }
}

/// Computes the targets one objective term predicts.
///
/// Providers hold no trainable parameters (a teacher's weights follow the student instead);
/// whatever state they keep for exact resume they report through ``stateParameters``.
public protocol TargetProvider: AnyObject {
    /// Targets for the batch in `context`, outside the autodiff graph.
    func targets(for context: TargetContext) throws -> FrameTargets

    /// Called by the trainer before the forward pass of update `step` (0-based, the number of
    /// updates already done), with the model being trained.
    func prepare(forStep step: Int, model: MaskedPredictionModel) throws

    /// Tensors a checkpoint must keep to resume this provider exactly, by name.
    var stateParameters: [(name: String, parameter: Parameter)] { get }
}

extension TargetProvider {
    /// Nothing to prepare.
    public func prepare(forStep step: Int, model: MaskedPredictionModel) throws {}
    /// No state.
    public var stateParameters: [(name: String, parameter: Parameter)] { [] }
}
