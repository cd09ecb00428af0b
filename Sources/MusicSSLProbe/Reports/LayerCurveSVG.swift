import Foundation
import MusicSSLTrain

/// A task's validation and test score by hidden state, one pair of lines per model: what each
/// layer knows (probe-spec §1.6, "per-layer curves"). Each layer's point is its best learning
/// rate on validation; the weighted sum of layers is drawn as a separate point labelled `all`.
///
/// Validation lines are solid, test lines dashed; scores are ×100.
public struct LayerCurveSVG: Sendable {
    /// The report the curves come from.
    public var report: ProbeReport
    /// The task drawn.
    public var task: ReportTask
    /// Image width in pixels.
    public var width = 760
    /// Image height in pixels.
    public var height = 420

    /// The curves of `task` in `report`.
    public init(report: ProbeReport, task: ReportTask) {
        self.report = report
        self.task = task
    }

    /// One model's points: (x position in layer units, valid, test), x = L + 1 for `all`.
    private func points(
        model: String, allPosition: Double
    ) -> [(x: Double, valid: Double, test: Double?, isAll: Bool)] {
        guard let result = report.results[model]?[task.name] else { return [] }
        return result.bestPerLayer.compactMap { cell in
            let test = cell.meanTest(task.monitorScore)
            switch cell.layer {
            case .single(let layer): return (Double(layer), cell.meanValidMonitor, test, false)
            case .weightedSum: return (allPosition, cell.meanValidMonitor, test, true)
            }
        }.sorted { $0.x < $1.x }
    }

    /// The SVG document.
    public func render() -> String {
        let maximumLayer =
            report.models.compactMap { report.results[$0]?[task.name] }
            .flatMap(\.runs).compactMap { run -> Int? in
                if case .single(let layer) = run.layer { layer } else { nil }
            }
            .max() ?? 0
        let allPosition = Double(maximumLayer + 1)
        let series = report.models.map { ($0, points(model: $0, allPosition: allPosition)) }
        let values = series.flatMap {
            $0.1.flatMap { [$0.valid * 100] + ($0.test.map { [$0 * 100] } ?? []) }
        }
        var chart = ReportChart(
            width: width, height: height,
            title: "\(task.title): \(task.monitorScore) by layer (valid solid, test dashed)",
            values: values)
        let plot = (left: chart.left, right: chart.right, bottom: chart.bottom)
        func x(_ value: Double) -> Double {
            plot.left + (value + 0.5) / (allPosition + 1) * (plot.right - plot.left)
        }
        func y(_ value: Double) -> Double { chart.y(value) }
        for layer in 0...(maximumLayer + 1) {
            let position = x(Double(layer))
            chart.svg.line(position, plot.bottom, position, plot.bottom + 5, stroke: "#444")
            chart.svg.text(
                layer > maximumLayer ? "all" : "\(layer)", x: position, y: plot.bottom + 18,
                anchor: "middle")
        }
        for (index, (model, points)) in series.enumerated() {
            let color = ReportChart.color(index)
            let layers = points.filter { !$0.isAll }
            chart.svg.polyline(
                layers.map { (x($0.x), y($0.valid * 100)) }, color: color, seriesClass: "valid")
            let tested = layers.compactMap { point in point.test.map { (x(point.x), y($0 * 100)) } }
            chart.svg.polyline(tested, color: color, seriesClass: "test", dashPattern: "6 4")
            for point in points where point.isAll {
                chart.svg.element(
                    "circle", ["cx": x(point.x), "cy": y(point.valid * 100), "r": 4],
                    ["fill": color])
                if let test = point.test {
                    chart.svg.element(
                        "circle", ["cx": x(point.x), "cy": y(test * 100), "r": 4],
                        ["fill": "white", "stroke": color])
                }
            }
            let legendY = chart.legendY(index)
            chart.svg.line(
                plot.right + 12, legendY - 4, plot.right + 34, legendY - 4, stroke: color)
            chart.svg.text(model, x: plot.right + 40, y: legendY, anchor: "start")
        }
        // The line styles: solid validation, dashed test, and the weighted sum's markers.
        let keyY = chart.legendY(series.count) + 12
        chart.svg.polyline(
            [(plot.right + 12, keyY - 4), (plot.right + 34, keyY - 4)], color: "#444",
            seriesClass: "key")
        chart.svg.text("validation", x: plot.right + 40, y: keyY, anchor: "start")
        chart.svg.polyline(
            [(plot.right + 12, keyY + 14), (plot.right + 34, keyY + 14)], color: "#444",
            seriesClass: "key",
            dashPattern: "6 4")
        chart.svg.text("test", x: plot.right + 40, y: keyY + 18, anchor: "start")
        chart.svg.text(
            "all: filled valid, open test", x: plot.right + 12, y: keyY + 36, anchor: "start")
        return chart.svg.finish()
    }
}
