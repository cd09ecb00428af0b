import Foundation
import MusicSSLCore

/// Writes a ``ProbeReport`` as a folder:
///
/// | file | holds |
/// |---|---|
/// | `report.md` | the Table-1 table, the selected configurations, per task its plots and layer weights |
/// | `table.csv` | the table (×100) |
/// | `grid.csv` | every run of every sweep (learning rate × layer × seed) with validation and test scores |
/// | `plots/<task>.svg` | validation and test score by hidden state |
/// | `plots/<task>-layer-weights.svg` | learned weights of the weighted-sum probes |
///
/// Every file is written atomically, so a report folder never holds a half-written file.
public struct ProbeReportWriter: Sendable {
    /// The report written.
    public var report: ProbeReport
    /// A paragraph placed under the title (what was run, on what).
    public var preamble: String

    /// A writer of `report`.
    public init(report: ProbeReport, preamble: String = "") {
        self.report = report
        self.preamble = preamble
    }

    /// The Markdown document.
    public func markdown() -> String {
        var text = "# Probing report\n\n"
        if !preamble.isEmpty { text += preamble + "\n\n" }
        text += """
            Scores ×100 on each task's test split, one decimal, for the (learning rate, layer) \
            configuration with the best validation score (MARBLE protocol: frozen features, \
            mean-pooled windows, MLP probe, selection on validation); `mean ± sd` over seeds \
            where several ran. `Avg.` averages tasks, each task the mean of its scores.


            """
        text +=
            report.markdownTable() + "\n## Selected configurations\n\n"
            + report.markdownSelections()
        for task in report.tasks {
            text += "\n## \(task.title)\n\n![\(task.title) by layer](plots/\(task.name).svg)\n"
            if let weights = report.markdownLayerWeights(task: task) {
                text += "\nLearned layer weights of the best weighted-sum probe:\n\n" + weights
                text += "\n![\(task.title) layer weights](plots/\(task.name)-layer-weights.svg)\n"
            }
        }
        text += "\nThe whole grid (every learning rate, layer and seed) is in `grid.csv`.\n"
        return text
    }

    /// Writes the folder (created when missing); existing files are replaced.
    ///
    /// - Throws: The file system's error naming the file.
    public func write(to directory: URL) throws {
        let plots = directory.appendingPathComponent("plots")
        try FileManager.default.createDirectory(at: plots, withIntermediateDirectories: true)
        try Self.write(markdown(), to: directory.appendingPathComponent("report.md"))
        try Self.write(report.tableCSV(), to: directory.appendingPathComponent("table.csv"))
        try Self.write(report.gridCSV(), to: directory.appendingPathComponent("grid.csv"))
        for task in report.tasks {
            try Self.write(
                LayerCurveSVG(report: report, task: task).render(),
                to: plots.appendingPathComponent("\(task.name).svg"))
            if let weights = LayerWeightsSVG(report: report, task: task).render() {
                try Self.write(
                    weights, to: plots.appendingPathComponent("\(task.name)-layer-weights.svg"))
            }
        }
    }

    private static func write(_ text: String, to url: URL) throws {
        try AtomicFile.write(to: url) { try $0.append(Array(text.utf8)) }
    }
}
