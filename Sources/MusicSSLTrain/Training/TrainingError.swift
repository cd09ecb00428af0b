/// Why a pre-training run stopped early.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss was NaN or infinite; nothing from this update was applied or saved.
    case nonFiniteLoss(step: Int, lastCheckpointStep: Int?)
    /// data2vec's collapse monitors fell below their floors (after the warm-up they allow).
    case collapsed(step: Int, monitor: String, value: Double, floor: Double)

    public var description: String {
        switch self {
        case .nonFiniteLoss(let step, let last):
            let kept = last.map { "the last good checkpoint (update \($0)) is kept; resume from it with a lower learning rate" }
                ?? "no checkpoint was written yet"
            return "the loss became NaN or infinite at update \(step); \(kept)"
        case .collapsed(let step, let monitor, let value, let floor):
            return "\(monitor) fell to \(value) (< \(floor)) at update \(step): the representation is collapsing"
        }
    }
}
