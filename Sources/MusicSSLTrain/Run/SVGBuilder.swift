/// Builds an SVG document as text: elements with escaped attributes, numbers to two decimals.
package struct SVGBuilder {
    private var body: [String] = []
    private let width: Int
    private let height: Int

    package init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// A self-closing element with numeric attributes `geometry` and text attributes `style`.
    package mutating func element(
        _ name: String, _ geometry: [String: Double], _ style: [String: String] = [:]
    ) {
        let attributes =
            geometry.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.number($0.value))\"" }
            + style.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escaped($0.value))\"" }
        body.append("<\(name) \(attributes.joined(separator: " "))/>")
    }

    package mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String) {
        element("line", ["x1": x1, "y1": y1, "x2": x2, "y2": y2], ["stroke": stroke])
    }

    /// A text element; `anchor` is `start`, `middle` or `end`.
    package mutating func text(
        _ content: String, x: Double, y: Double, anchor: String, extra: [String: String] = [:]
    ) {
        let attributes = (["text-anchor": anchor].merging(extra) { $1 })
            .sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escaped($0.value))\"" }
        body.append(
            "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" "
                + attributes.joined(separator: " ") + ">\(Self.escaped(content))</text>")
    }

    /// A polyline through `points`, dashed when `dashPattern` (SVG's `stroke-dasharray`, e.g.
    /// `"6 4"`) is given; nothing when there are no points.
    package mutating func polyline(
        _ points: [(Double, Double)], color: String, seriesClass: String, dashPattern: String? = nil
    ) {
        guard !points.isEmpty else { return }
        let coordinates = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }
        let dash = dashPattern.map { " stroke-dasharray=\"\(Self.escaped($0))\"" } ?? ""
        body.append(
            "<polyline class=\"\(seriesClass)\" fill=\"none\" stroke=\"\(color)\"\(dash) "
                + "stroke-width=\"1.5\" stroke-linejoin=\"round\" points=\""
                + coordinates.joined(separator: " ") + "\"/>")
    }

    /// The whole document.
    package func finish() -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
        viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
        \(body.joined(separator: "\n"))
        </svg>

        """
    }

    /// `value` with at most two decimals and no trailing zeros.
    package static func number(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// `text` with XML's special characters escaped.
    package static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
