/// One score of one task as a report column: the paper's Table 1 has `MTT ROC`, `MTT AP`,
/// `GS`, `GTZAN`, `EMO R²V`, `EMO R²A`, …
public struct ReportColumn: Sendable, Equatable {
    /// The task's name (`mtt`).
    public var task: String
    /// The column heading (`MTT ROC`).
    public var title: String
    /// The key in ``TaskScores/values`` (`roc_auc`).
    public var score: String
}

/// A task as a report presents it: its name, its title in the table, and the scores it
/// reports, taken from its metric.
public struct ReportTask: Sendable, Equatable, Codable {
    /// The task's name (`gtzan-genre`).
    public var name: String
    /// Its title in the table (`GTZAN`).
    public var title: String
    /// How it was scored.
    public var metric: TaskMetric
    /// Regression output names (Emomusic: `arousal`, `valence`); empty otherwise.
    public var outputs: [String]

    /// Creates a report entry for a task.
    public init(name: String, title: String, metric: TaskMetric, outputs: [String] = []) {
        self.name = name
        self.title = title
        self.metric = metric
        self.outputs = outputs
    }

    /// The entry of `task`, titled `title` (its name unless given).
    public init(_ task: ProbeTask, title: String? = nil) {
        var outputs: [String] = []
        if case .regression(let names) = task.kind { outputs = names }
        self.init(name: task.name, title: title ?? task.name, metric: task.metric, outputs: outputs)
    }

    /// The score the probe monitors and the layer curves show: `accuracy`, `roc_auc`, `r2`
    /// (the mean over outputs), `weighted_score` or `beat_f`.
    public var monitorScore: String {
        switch metric {
        case .accuracy: "accuracy"
        case .multilabelRanking: "roc_auc"
        case .r2: "r2"
        case .keyScore: "weighted_score"
        case .beatFMeasure: "beat_f"
        }
    }

    /// The reported scores, as MARBLE reports them (probe-spec §1.6): accuracy; ROC-AUC and
    /// AP; R² per output (valence before arousal, as the paper); the weighted key score; the
    /// beat F-measure.
    public var columns: [ReportColumn] {
        func column(_ suffix: String?, _ score: String) -> ReportColumn {
            ReportColumn(task: name, title: suffix.map { "\(title) \($0)" } ?? title, score: score)
        }
        switch metric {
        case .accuracy: return [column(nil, "accuracy")]
        case .multilabelRanking:
            return [column("ROC", "roc_auc"), column("AP", "average_precision")]
        case .r2:
            let ordered = outputs.sorted { ($0 == "valence" ? 0 : 1) < ($1 == "valence" ? 0 : 1) }
            return ordered.map { output in
                column(
                    "R²" + (output.first.map { String($0).uppercased() } ?? output), "r2_\(output)")
            }
        case .keyScore: return [column(nil, "weighted_score")]
        case .beatFMeasure: return [column(nil, "beat_f")]
        }
    }
}
