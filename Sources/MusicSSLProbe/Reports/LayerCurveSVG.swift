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

    private static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    /// One model's points: (x position in layer units, valid, test), x = L + 1 for `all`.
    private func points(model: String, allPosition: Double) -> [(x: Double, valid: Double, test: Double?, isAll: Bool)] {
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
        let plot = (left: 64.0, top: 40.0, right: Double(width) - 190, bottom: Double(height) - 48)
        let maximumLayer = report.models.compactMap { report.results[$0]?[task.name] }
            .flatMap(\.runs).compactMap { run -> Int? in if case .single(let layer) = run.layer { layer } else { nil } }
            .max() ?? 0
        let allPosition = Double(maximumLayer + 1)
        let series = report.models.map { ($0, points(model: $0, allPosition: allPosition)) }
        let values = series.flatMap { $0.1.flatMap { [$0.valid * 100] + ($0.test.map { [$0 * 100] } ?? []) } }
        let yAxis = ChartAxis(covering: values, scale: .linear)
        var svg = SVGBuilder(width: width, height: height)
        svg.element("rect", ["x": 0, "y": 0, "width": Double(width), "height": Double(height)], ["fill": "white"])
        svg.text(
            "\(task.title): \(task.monitorScore) by layer (valid solid, test dashed)", x: Double(width) / 2, y: 22,
            anchor: "middle", extra: ["font-size": "15"])
        svg.element(
            "rect", ["x": plot.left, "y": plot.top, "width": plot.right - plot.left, "height": plot.bottom - plot.top],
            ["fill": "none", "stroke": "#444"])
        func x(_ value: Double) -> Double {
            plot.left + (value + 0.5) / (allPosition + 1) * (plot.right - plot.left)
        }
        func y(_ value: Double) -> Double {
            plot.bottom - yAxis.fraction(of: value) * (plot.bottom - plot.top)
        }
        for layer in 0...(maximumLayer + 1) {
            let position = x(Double(layer))
            svg.line(position, plot.bottom, position, plot.bottom + 5, stroke: "#444")
            svg.text(layer > maximumLayer ? "all" : "\(layer)", x: position, y: plot.bottom + 18, anchor: "middle")
        }
        svg.text("hidden state", x: (plot.left + plot.right) / 2, y: Double(height) - 10, anchor: "middle")
        for tick in yAxis.ticks {
            svg.line(plot.left - 5, y(tick), plot.left, y(tick), stroke: "#444")
            svg.text(yAxis.label(tick), x: plot.left - 8, y: y(tick) + 4, anchor: "end")
        }
        for (index, (model, points)) in series.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            let layers = points.filter { !$0.isAll }
            svg.polyline(layers.map { (x($0.x), y($0.valid * 100)) }, color: color, seriesClass: "valid")
            let tested = layers.compactMap { point in point.test.map { (x(point.x), y($0 * 100)) } }
            svg.polyline(tested, color: color, seriesClass: "test", dashPattern: "6 4")
            for point in points where point.isAll {
                svg.element("circle", ["cx": x(point.x), "cy": y(point.valid * 100), "r": 4], ["fill": color])
                if let test = point.test {
                    svg.element(
                        "circle", ["cx": x(point.x), "cy": y(test * 100), "r": 4],
                        ["fill": "white", "stroke": color])
                }
            }
            let legendY = plot.top + 14 + Double(index) * 18
            svg.line(plot.right + 12, legendY - 4, plot.right + 34, legendY - 4, stroke: color)
            svg.text(model, x: plot.right + 40, y: legendY, anchor: "start")
        }
        // The line styles: solid validation, dashed test, and the weighted sum's markers.
        let keyY = plot.top + 14 + Double(series.count) * 18 + 12
        svg.polyline([(plot.right + 12, keyY - 4), (plot.right + 34, keyY - 4)], color: "#444", seriesClass: "key")
        svg.text("validation", x: plot.right + 40, y: keyY, anchor: "start")
        svg.polyline(
            [(plot.right + 12, keyY + 14), (plot.right + 34, keyY + 14)], color: "#444", seriesClass: "key",
            dashPattern: "6 4")
        svg.text("test", x: plot.right + 40, y: keyY + 18, anchor: "start")
        svg.text("all: filled valid, open test", x: plot.right + 12, y: keyY + 36, anchor: "start")
        return svg.finish()
    }
}
