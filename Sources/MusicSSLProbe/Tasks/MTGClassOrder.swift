/// The order of MTG-Jamendo tags in a task's label vector (probe-spec §2.3, quirk Q6). Macro
/// ROC-AUC and AP do not depend on it; it matters for reading probe outputs column by column.
public enum MTGClassOrder: String, Sendable, Equatable, CaseIterable {
    /// First appearance across the train, then validation, then test TSV files, as MARBLE's
    /// `read_class2id` (`tasks/MTG/*_dataset.py`). The default, for column parity with MARBLE.
    case firstAppearance
    /// Tags sorted by name (Unicode scalar order), independent of the split files' row order.
    case sorted
}
