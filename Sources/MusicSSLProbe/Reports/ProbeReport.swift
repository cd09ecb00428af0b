import Foundation

/// The results of probing several models on several tasks, in the shape of the paper's Table 1:
/// one row per model, one column per task score (×100, one decimal), and an average.
///
/// The average follows MARBLE (probe-spec §1.6): a task with two scores (ROC-AUC and AP, R²V
/// and R²A) counts once with the mean of its two, then tasks are averaged with equal weight. A
/// row that lacks a task has no average (`–`), as MARBLE's `Avg.` covers systems with every
/// task only.
///
/// ```swift
/// var report = ProbeReport(tasks: [ReportTask(task, title: "GTZAN")])
/// report.add(sweep, model: "music2vec-tiny")
/// try ProbeReportWriter(report: report).write(to: folder)
/// ```
public struct ProbeReport: Sendable, Equatable {
    /// The tasks, in column order.
    public var tasks: [ReportTask]
    /// The models, in row order.
    public private(set) var models: [String] = []
    /// Each model's sweep result per task name.
    public private(set) var results: [String: [String: SweepResult]] = [:]

    /// An empty report over `tasks`.
    public init(tasks: [ReportTask]) {
        self.tasks = tasks
    }

    /// Adds (or replaces) `model`'s result on the task `result.task`.
    public mutating func add(_ result: SweepResult, model: String) {
        if results[model] == nil { models.append(model) }
        results[model, default: [:]][result.task] = result
    }

    /// Every column, task by task.
    public var columns: [ReportColumn] { tasks.flatMap(\.columns) }

    /// The selected configuration's test score of `column` for `model`: the mean over seeds and
    /// the standard deviation (0 for one seed); nil when the model has no result on the task.
    public func cell(
        model: String, column: ReportColumn
    ) -> (mean: Double, standardDeviation: Double, seeds: Int)? {
        guard let selected = results[model]?[column.task]?.selected,
            let mean = selected.meanTest(column.score),
            let deviation = selected.standardDeviationOfTest(column.score)
        else { return nil }
        return (mean, deviation, selected.runs.count)
    }

    /// The model's average over tasks (each task the mean of its scores), nil unless it has
    /// every task.
    public func average(model: String) -> Double? {
        var perTask: [Double] = []
        for task in tasks {
            let values = task.columns.compactMap { cell(model: model, column: $0)?.mean }
            guard values.count == task.columns.count, !values.isEmpty else { return nil }
            perTask.append(values.reduce(0, +) / Double(values.count))
        }
        return perTask.isEmpty ? nil : perTask.reduce(0, +) / Double(perTask.count)
    }
}
