import MusicSSLTrain

/// What the report's charts share: an image of a given size with a title, a framed plot area
/// leaving room for a legend on the right, a value axis on the left, and the series colours.
struct ReportChart {
    /// Series colours, one per model, in row order.
    static let palette = [
        "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
    ]

    /// The colour of the `index`-th series.
    static func color(_ index: Int) -> String { palette[index % palette.count] }

    /// The plot area's edges in pixels.
    let left: Double, top: Double, right: Double, bottom: Double
    /// The value axis.
    let axis: ChartAxis
    /// The image being built.
    var svg: SVGBuilder

    /// A `width` × `height` image titled `title`, its plot area framed, and a value axis
    /// covering `values` drawn on the left.
    init(width: Int, height: Int, title: String, values: [Double]) {
        left = 64
        top = 40
        right = Double(width) - 190
        bottom = Double(height) - 48
        axis = ChartAxis(covering: values, scale: .linear)
        svg = SVGBuilder(width: width, height: height)
        svg.element(
            "rect", ["x": 0, "y": 0, "width": Double(width), "height": Double(height)],
            ["fill": "white"])
        svg.text(title, x: Double(width) / 2, y: 22, anchor: "middle", extra: ["font-size": "15"])
        svg.element(
            "rect", ["x": left, "y": top, "width": right - left, "height": bottom - top],
            ["fill": "none", "stroke": "#444"])
        for tick in axis.ticks {
            svg.line(left - 5, y(tick), left, y(tick), stroke: "#444")
            svg.text(axis.label(tick), x: left - 8, y: y(tick) + 4, anchor: "end")
        }
        svg.text("hidden state", x: (left + right) / 2, y: Double(height) - 10, anchor: "middle")
    }

    /// The vertical position of `value`.
    func y(_ value: Double) -> Double { bottom - axis.fraction(of: value) * (bottom - top) }

    /// The vertical position of the `index`-th legend entry's text baseline.
    func legendY(_ index: Int) -> Double { top + 14 + Double(index) * 18 }
}
