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

    /// The target a header implies when none is given: `label`, else `labels`, else
    /// `beat_times`, else every column other than `path` and `split` whose values all parse as
    /// finite numbers (header order); nil when there is none of these.
    static func inferred(header: [String], rows: [[String: String]]) -> CSVTarget? {
        if header.contains("label") { return .label }
        if header.contains("labels") { return .labels }
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
        }
    }

    /// How the task is scored.
    var metric: TaskMetric {
        switch self {
        case .label: .accuracy
        case .labels: .multilabelRanking
        case .values: .r2
        case .beatTimes: .beatFMeasure
        }
    }
}
