/// Why a pre-training run stopped early.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss was NaN or infinite; nothing from this update was applied or saved. `step` is
    /// the failing update counted from 1, as progress lines, `metrics.jsonl` and checkpoint
    /// names count them (so the update after checkpoint `lastCheckpointStep` is
    /// `lastCheckpointStep + 1`).
    case nonFiniteLoss(step: Int, lastCheckpointStep: Int?)
    /// data2vec's collapse monitors fell below their floors (after the warm-up they allow).
    case collapsed(step: Int, monitor: String, value: Double, floor: Double)
    /// A fresh start was asked for in a run directory that already holds checkpoints.
    case runExists(path: String, latestStep: Int)
    /// A resume was asked for with a configuration other than the one the run started with;
    /// the differing lines of `config.yaml`, stored first.
    case configurationChanged(path: String, differences: [String])
    /// A data-parallel job's batch source gave a batch without a `BatchShard`: every rank
    /// would train on the same clips.
    case unshardedBatch(ranks: Int)

    public var description: String {
        switch self {
        case .nonFiniteLoss(let step, let last):
            let kept = last.map { "the last good checkpoint (update \($0)) is kept; resume from it with a lower learning rate" }
                ?? "no checkpoint was written yet"
            return "the loss became NaN or infinite at update \(step); \(kept)"
        case .collapsed(let step, let monitor, let value, let floor):
            return "\(monitor) fell to \(value) (< \(floor)) at update \(step): the representation is collapsing"
        case .runExists(let path, let latest):
            return "\(path) already holds a run (checkpoint of update \(latest)); resume it, or choose another directory"
        case .configurationChanged(let path, let differences):
            return "\(path) was started with another configuration; a resumed run must use the same one. "
                + "Differing lines (stored → given): " + differences.joined(separator: "; ")
        case .unshardedBatch(let ranks):
            return "\(ranks) ranks train, but the batch source gave a batch without a shard, so every rank "
                + "would train on the same clips; give each rank its rows (CorpusBatches(source:rows:))"
        }
    }
}
