/// Which frames a loss covers and how much each kind counts.
public struct FrameSelection {
    /// `batch · frames` flags, true for masked frames.
    public var masked: [Bool]
    /// `batch · frames` flags, true for padding (never counted); `nil` when none.
    public var padding: [Bool]?
    /// Weight of unmasked frames relative to masked ones (HuBERT's `pred_nomask_weight`, 0).
    public var unmaskedWeight: Float

    /// Creates a selection.
    public init(masked: [Bool], padding: [Bool]? = nil, unmaskedWeight: Float = 0) {
        self.masked = masked
        self.padding = padding
        self.unmaskedWeight = unmaskedWeight
    }

    /// Flags of the unmasked, unpadded frames.
    public var unmasked: [Bool] {
        masked.indices.map { !masked[$0] && !(padding?[$0] ?? false) }
    }

    /// Flags of the masked, unpadded frames.
    public var maskedReal: [Bool] {
        masked.indices.map { masked[$0] && !(padding?[$0] ?? false) }
    }
}

/// One objective's loss for a batch.
public struct ObjectiveLoss {
    /// The scalar loss, in the autodiff graph: Σ over masked frames (+ unmasked weight · Σ over
    /// unmasked frames) ÷ the number of masked frames, as fairseq's gradient normalisation makes it.
    public var value: Tensor
    /// Masked frames the loss was normalised by.
    public var maskedFrameCount: Int
    /// Monitors for the log (e.g. `accuracy`, `target_variance`), outside the graph.
    public var metrics: [String: Double]

    /// Creates a loss record.
    public init(value: Tensor, maskedFrameCount: Int, metrics: [String: Double] = [:]) {
        self.value = value
        self.maskedFrameCount = maskedFrameCount
        self.metrics = metrics
    }
}

/// Maps the encoder's last hidden state to predictions and scores them against targets.
public protocol PredictionHead: Layer {
    /// The loss of predicting `targets` from `hiddenStates` `[batch, frames, dimensions]` on
    /// the frames `selection` picks.
    ///
    /// - Throws: ``TensorError`` when the targets are of a kind the head cannot score or their
    ///   shape does not match.
    func loss(
        hiddenStates: Tensor, targets: FrameTargets, selection: FrameSelection
    ) throws -> ObjectiveLoss
}
