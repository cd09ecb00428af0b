/// What a ``CSVTask`` manifest annotates, and so the task's kind and metric.
public enum CSVTarget: Sendable, Equatable {
    /// Column `label`: one class name per row; classes sorted by name; `.accuracy`.
    case label
    /// Column `labels`: `;`-separated tag names (possibly none); tags sorted by name;
    /// `.multilabelRanking`.
    case labels
    /// The named numeric columns, in this order; `.r2`.
    case values([String])
    /// Column `beat_times`: whitespace-separated beat times in seconds; `.beatFMeasure`.
    case beatTimes
    /// Column `key`: a major or minor key such as `C major`, `F# minor` or `Bb major` (read as
    /// ``MusicalKey/init(parsing:)`` reads it, so sharps and flats name the same key); the 24
    /// classes of ``MusicalKey/marbleClasses`` in their order, as the GiantSteps task has them;
    /// `.keyScore`.
    case key

    /// The target a header implies when none is given: `label`, else `labels`, else `key`, else
    /// `beat_times`, else every column other than `path` and `split` whose values all parse as
    /// finite numbers (header order); nil when there is none of these.
    static func inferred(header: [String], rows: [[String: String]]) -> CSVTarget? {
        if header.contains("label") { return .label }
        if header.contains("labels") { return .labels }
        if header.contains("key") { return .key }
        if header.contains("beat_times") { return .beatTimes }
        let numeric = header.filter { column in
            column != "path" && column != "split" && !rows.isEmpty
                && rows.allSatisfy { Double($0[column, default: ""])?.isFinite == true }
        }
        return numeric.isEmpty ? nil : .values(numeric)
    }

    /// The columns a manifest must have for this target.
    var columns: [String] {
        switch self {
        case .label: ["label"]
        case .labels: ["labels"]
        case .values(let columns): columns
        case .beatTimes: ["beat_times"]
        case .key: ["key"]
        }
    }

    /// How the task is scored.
    var metric: TaskMetric {
        switch self {
        case .label: .accuracy
        case .labels: .multilabelRanking
        case .values: .r2
        case .beatTimes: .beatFMeasure
        case .key: .keyScore
        }
    }
}
