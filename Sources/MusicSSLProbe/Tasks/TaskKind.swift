/// What a probe predicts for a task, and so its output width and loss (probe-spec §1.4).
public enum TaskKind: Sendable, Equatable, Codable {
    /// One class per item; cross-entropy. The class names, in label-index order.
    case singleLabel(classes: [String])
    /// Any number of tags per item; binary cross-entropy with logits. The tag names, in column
    /// order.
    case multiLabel(tags: [String])
    /// Real-valued outputs per item; mean squared error. The output names, in column order
    /// (Emomusic: `arousal`, `valence`).
    case regression(outputs: [String])
    /// Beat / non-beat per frame; cross-entropy over two classes per frame, decoded into beat
    /// times with the DBN beat decoder (probe-spec §2.2).
    case beatTracking

    /// The probe's output width: classes, tags, outputs, or 2 (non-beat, beat) per frame.
    public var outputCount: Int {
        switch self {
        case .singleLabel(let classes): classes.count
        case .multiLabel(let tags): tags.count
        case .regression(let outputs): outputs.count
        case .beatTracking: 2
        }
    }
}
