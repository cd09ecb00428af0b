import Foundation
import MusicSSLTrain

/// The learned softmax layer weights of each model's weighted-sum probe on one task, as grouped
/// bars by hidden state: which layers the probe leaned on.
public struct LayerWeightsSVG: Sendable {
    /// The report the weights come from.
    public var report: ProbeReport
    /// The task drawn.
    public var task: ReportTask
    /// Image width in pixels.
    public var width = 760
    /// Image height in pixels.
    public var height = 360

    /// The weights of `task` in `report`.
    public init(report: ProbeReport, task: ReportTask) {
        self.report = report
        self.task = task
    }

    private static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    /// The SVG document, nil when no model has a weighted-sum probe on the task.
    public func render() -> String? {
        let series = report.models.compactMap { model in
            report.layerWeights(model: model, task: task.name).map { (model, $0) }
        }
        guard !series.isEmpty else { return nil }
        let layers = Array(Set(series.flatMap { $0.1.map(\.layer) })).sorted()
        let plot = (left: 64.0, top: 40.0, right: Double(width) - 190, bottom: Double(height) - 48)
        let yAxis = ChartAxis(covering: [0] + series.flatMap { $0.1.map(\.weight) }, scale: .linear)
        var svg = SVGBuilder(width: width, height: height)
        svg.element("rect", ["x": 0, "y": 0, "width": Double(width), "height": Double(height)], ["fill": "white"])
        svg.text(
            "\(task.title): learned layer weights", x: Double(width) / 2, y: 22, anchor: "middle",
            extra: ["font-size": "15"])
        svg.element(
            "rect", ["x": plot.left, "y": plot.top, "width": plot.right - plot.left, "height": plot.bottom - plot.top],
            ["fill": "none", "stroke": "#444"])
        func y(_ value: Double) -> Double { plot.bottom - yAxis.fraction(of: value) * (plot.bottom - plot.top) }
        for tick in yAxis.ticks {
            svg.line(plot.left - 5, y(tick), plot.left, y(tick), stroke: "#444")
            svg.text(yAxis.label(tick), x: plot.left - 8, y: y(tick) + 4, anchor: "end")
        }
        let slot = (plot.right - plot.left) / Double(layers.count)
        let barWidth = slot * 0.8 / Double(series.count)
        for (position, layer) in layers.enumerated() {
            let center = plot.left + (Double(position) + 0.5) * slot
            svg.text("\(layer)", x: center, y: plot.bottom + 18, anchor: "middle")
            for (index, (_, weights)) in series.enumerated() {
                guard let weight = weights.first(where: { $0.layer == layer })?.weight else { continue }
                let left = center - slot * 0.4 + Double(index) * barWidth
                svg.element(
                    "rect", ["x": left, "y": y(weight), "width": barWidth, "height": y(0) - y(weight)],
                    ["fill": Self.palette[index % Self.palette.count]])
            }
        }
        svg.text("hidden state", x: (plot.left + plot.right) / 2, y: Double(height) - 10, anchor: "middle")
        for (index, (model, _)) in series.enumerated() {
            let legendY = plot.top + 14 + Double(index) * 18
            svg.element(
                "rect", ["x": plot.right + 12, "y": legendY - 10, "width": 14, "height": 10],
                ["fill": Self.palette[index % Self.palette.count]])
            svg.text(model, x: plot.right + 32, y: legendY, anchor: "start")
        }
        return svg.finish()
    }
}
