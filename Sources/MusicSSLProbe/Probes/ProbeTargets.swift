import MusicSSLCore

/// The targets of a batch of probe rows, one per window or frame, and the loss that goes with
/// them (probe-spec §1.4, MARBLE `probers.py` `get_loss`).
public enum ProbeTargets {
    /// One class per row: cross-entropy (single-label tasks; beat / non-beat per frame).
    case classes([Int])
    /// `[rows, tags]` zeros and ones: binary cross-entropy with logits, no positive weight.
    case multiHot(Tensor)
    /// `[rows, outputs]` real values: mean squared error (Emomusic's two outputs).
    case values(Tensor)

    /// Rows the targets cover.
    public var rowCount: Int {
        switch self {
        case .classes(let classes): classes.count
        case .multiHot(let tensor), .values(let tensor): tensor.shape.first ?? 0
        }
    }

    /// The mean loss of `logits` against these targets: `torch.nn.CrossEntropyLoss`,
    /// `BCEWithLogitsLoss` or `MSELoss`, each with its default mean reduction.
    ///
    /// - Parameter logits: `[rows, outputs]`.
    /// - Throws: `TensorError` when the shapes disagree or a class is out of range.
    public func loss(of logits: Tensor) throws -> Tensor {
        switch self {
        case .classes(let classes): try crossEntropy(logits: logits, targets: classes)
        case .multiHot(let targets):
            try binaryCrossEntropyWithLogits(logits: logits, targets: targets)
        case .values(let targets): try meanSquaredError(logits, targets)
        }
    }
}
