/// Why a probe could not be built, trained or stored: the item, split, layer or file at fault
/// and what was expected there.
///
/// Messages read `[ProbeFeatureSet] item blues/blues.00000.wav: features unavailable: …` or
/// `[ProbeHead] expected [batch, 12, 768], got [64, 13, 768]`.
public enum ProbeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The feature closure threw for an item.
    case featuresUnavailable(item: String, reason: String)
    /// An item's features have the wrong rank or disagree with the first item's shape.
    case featureShape(item: String, expected: String, found: [Int])
    /// An item's label does not fit the task's kind (wrong case, class out of range, …).
    case invalidLabel(item: String, reason: String)
    /// A split the probe needs has no items.
    case emptySplit(task: String, split: DataSplit)
    /// A layer selection asks for hidden states the features do not have.
    case layerOutOfRange(layer: LayerSelection, hiddenStateCount: Int)
    /// A tensor handed to a probe component has the wrong shape.
    case shape(component: String, expected: String, found: [Int])
    /// A configuration value is out of range.
    case invalidConfiguration(String)
    /// A sweep's run file could not be read or written.
    case runStore(file: String, reason: String)

    /// The message, naming the component and what was at fault.
    public var description: String {
        switch self {
        case .featuresUnavailable(let item, let reason):
            "[ProbeFeatureSet] item \(item): features unavailable: \(reason)"
        case .featureShape(let item, let expected, let found):
            "[ProbeFeatureSet] item \(item): expected features \(expected), got \(found)"
        case .invalidLabel(let item, let reason):
            "[ProbeFeatureSet] item \(item): \(reason)"
        case .emptySplit(let task, let split):
            "[ProbeFeatureSet] task \(task) has no \(split.rawValue) items"
        case .layerOutOfRange(let layer, let count):
            "[LayerSelection] layer \(layer) needs hidden states the features lack "
                + "(they have \(count): 0…\(count - 1))"
        case .shape(let component, let expected, let found):
            "[\(component)] expected \(expected), got \(found)"
        case .invalidConfiguration(let message):
            "[ProbeTrainingConfiguration] \(message)"
        case .runStore(let file, let reason):
            "[ProbeRunStore] \(file): \(reason)"
        }
    }
}
