import Foundation
import MusicSSLCore

/// The loss curve of a run as a standalone SVG image (`loss_curve.svg` next to the checkpoints):
/// the loss against the step on a left axis, optionally a second measurement (masked accuracy,
/// target variance) on a right axis, with ticks, labels and a legend.
///
/// Pure string building, no dependencies; any browser shows the file. Long runs are thinned to
/// at most ``maximumPointCount`` points per series, keeping each stretch's lowest and highest
/// value so spikes stay visible.
///
/// ```swift
/// var chart = LossCurveSVG(records: log.records, scale: .logarithmic)
/// chart.secondaryKey = "masked_accuracy"
/// try chart.write(to: run.lossCurveURL)
/// ```
public struct LossCurveSVG: Sendable {
    /// How values map to heights.
    public enum Scale: Sendable, Equatable {
        /// Equal distances for equal differences.
        case linear
        /// Equal distances for equal ratios; values ≤ 0 are left out.
        case logarithmic
    }

    /// The logged records, in step order.
    public var records: [MetricsRecord]
    /// The record key drawn on the left axis; `loss` by default.
    public var primaryKey: String
    /// The left axis's scale.
    public var scale: Scale
    /// A record key drawn on a linear right axis (e.g. `masked_accuracy`); none by default.
    public var secondaryKey: String?
    /// The heading above the plot.
    public var title: String
    /// Image width in pixels.
    public var width: Int = 800
    /// Image height in pixels.
    public var height: Int = 450
    /// Most points drawn per series.
    public var maximumPointCount: Int = 2000

    /// A chart of `records`' `primaryKey` on a `scale` axis, titled `title`.
    public init(
        records: [MetricsRecord], primaryKey: String = "loss", scale: Scale = .linear,
        secondaryKey: String? = nil, title: String = "training loss"
    ) {
        self.records = records
        self.primaryKey = primaryKey
        self.scale = scale
        self.secondaryKey = secondaryKey
        self.title = title
    }

    /// Margins around the plot area: room for the title, the tick labels and the axis names.
    private var plot: (left: Double, top: Double, right: Double, bottom: Double) {
        (72, 40, Double(width) - (secondaryKey == nil ? 24 : 72), Double(height) - 52)
    }

    /// The SVG document.
    public func render() -> String {
        let plot = plot
        let steps = records.map { Double($0.step) }
        let xAxis = ChartAxis(covering: steps, scale: .linear, isInteger: true)
        let primary = series(primaryKey)
        let yAxis = ChartAxis(covering: primary.map(\.value), scale: scale)
        var svg = SVGBuilder(width: width, height: height)
        svg.element(
            "rect", ["x": 0, "y": 0, "width": Double(width), "height": Double(height)],
            ["fill": "white"])
        svg.text(title, x: Double(width) / 2, y: 24, anchor: "middle", extra: ["font-size": "16"])
        svg.element(
            "rect",
            [
                "x": plot.left, "y": plot.top, "width": plot.right - plot.left,
                "height": plot.bottom - plot.top,
            ],
            ["class": "plot-area", "fill": "none", "stroke": "#444"])

        func xPosition(_ step: Double) -> Double {
            plot.left + xAxis.fraction(of: step) * (plot.right - plot.left)
        }
        for tick in xAxis.ticks {
            let x = xPosition(tick)
            svg.line(x, plot.bottom, x, plot.bottom + 5, stroke: "#444")
            svg.text(xAxis.label(tick), x: x, y: plot.bottom + 19, anchor: "middle")
        }
        svg.text("step", x: (plot.left + plot.right) / 2, y: Double(height) - 12, anchor: "middle")
        drawVerticalAxis(yAxis, at: plot.left, label: primaryKey, into: &svg)
        if primary.isEmpty {
            svg.text(
                "no \(primaryKey) logged yet", x: (plot.left + plot.right) / 2,
                y: (plot.top + plot.bottom) / 2, anchor: "middle")
        }
        svg.polyline(
            thinned(primary).map { (xPosition($0.step), yPosition($0.value, yAxis)) },
            color: "#1f77b4", seriesClass: "series primary")
        if let secondaryKey {
            let secondary = series(secondaryKey, on: .linear)
            let rightAxis = ChartAxis(covering: secondary.map(\.value), scale: .linear)
            drawVerticalAxis(rightAxis, at: plot.right, label: secondaryKey, into: &svg)
            svg.polyline(
                thinned(secondary).map { (xPosition($0.step), yPosition($0.value, rightAxis)) },
                color: "#d62728", seriesClass: "series secondary")
            svg.line(
                plot.left + 10, plot.top + 12, plot.left + 30, plot.top + 12, stroke: "#1f77b4")
            svg.text(primaryKey, x: plot.left + 34, y: plot.top + 16, anchor: "start")
            svg.line(
                plot.left + 10, plot.top + 28, plot.left + 30, plot.top + 28, stroke: "#d62728")
            svg.text(secondaryKey, x: plot.left + 34, y: plot.top + 32, anchor: "start")
        }
        return svg.finish()
    }

    /// Writes ``render()`` to `url` atomically (temporary file, flush, rename).
    ///
    /// - Throws: The file system's error naming the file.
    public func write(to url: URL) throws {
        let text = render()
        try AtomicFile.write(to: url) { try $0.append(Array(text.utf8)) }
    }

    /// The plotted (step, value) pairs of `key`, in step order, without values the axis cannot
    /// show (NaN, infinities, and values ≤ 0 on a log scale).
    private func series(
        _ key: String, on axisScale: Scale? = nil
    ) -> [(step: Double, value: Double)] {
        let probe = ChartAxis(covering: [], scale: axisScale ?? scale)
        return records.compactMap { record in
            guard let value = record.value(forKey: key), probe.accepts(value) else { return nil }
            return (Double(record.step), value)
        }
    }

    /// `points` cut to at most ``maximumPointCount``: consecutive stretches each give their
    /// lowest and highest point, in step order.
    private func thinned(
        _ points: [(step: Double, value: Double)]
    ) -> [(step: Double, value: Double)] {
        let limit = max(2, maximumPointCount)
        guard points.count > limit else { return points }
        let bucketCount = limit / 2
        var kept: [(step: Double, value: Double)] = []
        for bucket in 0..<bucketCount {
            let range =
                (bucket * points.count / bucketCount)..<((bucket + 1) * points.count / bucketCount)
            let stretch = points[range]
            guard let low = stretch.indices.min(by: { points[$0].value < points[$1].value }),
                let high = stretch.indices.max(by: { points[$0].value < points[$1].value })
            else { continue }
            for index in Set([low, high]).sorted() { kept.append(points[index]) }
        }
        return kept
    }

    private func yPosition(_ value: Double, _ axis: ChartAxis) -> Double {
        plot.bottom - axis.fraction(of: value) * (plot.bottom - plot.top)
    }

    private func drawVerticalAxis(
        _ axis: ChartAxis, at x: Double, label: String, into svg: inout SVGBuilder
    ) {
        let isLeft = x == plot.left
        for tick in axis.ticks {
            let y = yPosition(tick, axis)
            svg.line(isLeft ? x - 5 : x, y, isLeft ? x : x + 5, y, stroke: "#444")
            if isLeft { svg.line(plot.left, y, plot.right, y, stroke: "#e5e5e5") }
            svg.text(
                axis.label(tick), x: isLeft ? x - 8 : x + 8, y: y + 4,
                anchor: isLeft ? "end" : "start")
        }
        let middle = (plot.top + plot.bottom) / 2
        let labelX = isLeft ? 16.0 : Double(width) - 12
        svg.text(
            label, x: labelX, y: middle, anchor: "middle",
            extra: [
                "transform": "rotate(-90 \(SVGBuilder.number(labelX)) \(SVGBuilder.number(middle)))"
            ])
    }
}
