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

    /// The SVG document, nil when no model has a weighted-sum probe on the task.
    public func render() -> String? {
        let series = report.models.compactMap { model in
            report.layerWeights(model: model, task: task.name).map { (model, $0) }
        }
        guard !series.isEmpty else { return nil }
        let layers = Array(Set(series.flatMap { $0.1.map(\.layer) })).sorted()
        var chart = ReportChart(
            width: width, height: height, title: "\(task.title): learned layer weights",
            values: [0] + series.flatMap { $0.1.map(\.weight) })
        let slot = (chart.right - chart.left) / Double(layers.count)
        let barWidth = slot * 0.8 / Double(series.count)
        for (position, layer) in layers.enumerated() {
            let center = chart.left + (Double(position) + 0.5) * slot
            chart.svg.text("\(layer)", x: center, y: chart.bottom + 18, anchor: "middle")
            for (index, (_, weights)) in series.enumerated() {
                guard let weight = weights.first(where: { $0.layer == layer })?.weight else {
                    continue
                }
                let left = center - slot * 0.4 + Double(index) * barWidth
                chart.svg.element(
                    "rect",
                    [
                        "x": left, "y": chart.y(weight), "width": barWidth,
                        "height": chart.y(0) - chart.y(weight),
                    ],
                    ["fill": ReportChart.color(index)])
            }
        }
        for (index, (model, _)) in series.enumerated() {
            let legendY = chart.legendY(index)
            chart.svg.element(
                "rect", ["x": chart.right + 12, "y": legendY - 10, "width": 14, "height": 10],
                ["fill": ReportChart.color(index)])
            chart.svg.text(model, x: chart.right + 32, y: legendY, anchor: "start")
        }
        return chart.svg.finish()
    }
}
