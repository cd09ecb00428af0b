/// The part of a data set an item belongs to: probes train on `train`, select learning rate,
/// layer and epoch on `valid`, and report `test`.
public enum DataSplit: String, Codable, CaseIterable, Sendable, Comparable {
    /// Fits the probe.
    case train
    /// Early stopping, learning-rate halving and the sweep's selection.
    case valid
    /// The reported score.
    case test

    /// Orders splits as train < valid < test.
    public static func < (left: DataSplit, right: DataSplit) -> Bool {
        left.rank < right.rank
    }

    private var rank: Int {
        switch self {
        case .train: 0
        case .valid: 1
        case .test: 2
        }
    }
}
