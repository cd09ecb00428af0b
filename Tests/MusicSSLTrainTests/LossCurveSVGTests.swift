import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The elements of an SVG document as XMLParser reports them (parsing fails on invalid XML).
private final class SVGElements: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    /// The text content of each element that has some, entities decoded.
    var texts: [String] = []
    private var text = ""

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        elements.append((name, attributes))
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(
        _ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
        qualifiedName: String?
    ) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { texts.append(trimmed) }
        text = ""
    }

    static func parse(_ svg: String) throws -> SVGElements {
        let parser = XMLParser(data: Data(svg.utf8))
        let delegate = SVGElements()
        parser.delegate = delegate
        guard parser.parse() else {
            throw MetricsLogError(
                path: nil, .invalidRecord("XML: \(String(describing: parser.parserError))"))
        }
        return delegate
    }

    func first(_ name: String, class className: String? = nil) -> [String: String]? {
        elements.first {
            $0.name == name && (className == nil || $0.attributes["class"] == className)
        }?
        .attributes
    }

    /// The points of the polyline of `className`.
    func points(_ className: String) -> [(x: Double, y: Double)] {
        guard let text = first("polyline", class: className)?["points"] else { return [] }
        // Unparsable coordinates become NaN, which fails every range check below.
        return text.split(separator: " ").map { pair in
            let parts = pair.split(separator: ",").map { Double($0) ?? .nan }
            return (parts.first ?? .nan, parts.count == 2 ? parts[1] : .nan)
        }
    }

    /// The plot area: x, y, width, height.
    func plotArea() throws -> (x: Double, y: Double, width: Double, height: Double) {
        let rect = try #require(first("rect", class: "plot-area"))
        let values = ["x", "y", "width", "height"].compactMap { rect[$0].flatMap { Double($0) } }
        try #require(values.count == 4, "plot-area rect lacks a coordinate: \(rect)")
        return (values[0], values[1], values[2], values[3])
    }
}

@Suite("Loss curve SVG")
struct LossCurveSVGTests {
    /// Steps 0, 10, …, 990 with an exponentially falling loss and a rising accuracy.
    private let records = (0..<100).map { index in
        MetricsRecord(
            step: index * 10, loss: 8 * exp(-Double(index) / 30) + 0.5, learningRate: 1e-4,
            samplesPerSecond: 20, values: ["masked_accuracy": Double(index) / 200])
    }

    @Test("the SVG parses; each series has one point per record inside the plot area")
    func validDocumentWithTwoSeries() throws {
        let chart = LossCurveSVG(records: records, secondaryKey: "masked_accuracy")
        let svg = try SVGElements.parse(chart.render())
        #expect(svg.elements.first?.name == "svg")
        #expect(svg.elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        let area = try svg.plotArea()
        for series in ["series primary", "series secondary"] {
            let points = svg.points(series)
            #expect(points.count == 100, "\(series)")
            #expect(zip(points, points.dropFirst()).allSatisfy { $0.x < $1.x })
            for point in points {
                #expect(point.x >= area.x - 0.01 && point.x <= area.x + area.width + 0.01)
                #expect(point.y >= area.y - 0.01 && point.y <= area.y + area.height + 0.01)
            }
        }
        // The x axis starts at step 0 on the plot's left edge.
        #expect(abs(svg.points("series primary")[0].x - area.x) < 0.01)
        // Loss falls, so its line climbs down the image (larger y); accuracy rises.
        let loss = svg.points("series primary")
        let accuracy = svg.points("series secondary")
        #expect(loss.last!.y > loss.first!.y)
        #expect(accuracy.last!.y < accuracy.first!.y)
        #expect(svg.texts.contains("step") && svg.texts.contains("loss"))
        #expect(svg.texts.contains("masked_accuracy"))
        // Tick labels along the step axis at round numbers.
        #expect(svg.texts.contains("0") && svg.texts.contains("200"))
    }

    @Test("on a log scale a value's height is its log-linear position between the axis ends")
    func logarithmicScale() throws {
        let values: [Double] = [0.1, 1, 10, 100, -1, .nan]
        let records = values.enumerated().map { index, loss in
            MetricsRecord(step: index, loss: loss, learningRate: 0, samplesPerSecond: 0)
        }
        let svg = try SVGElements.parse(
            LossCurveSVG(records: records, scale: .logarithmic).render())
        let points = svg.points("series primary")
        #expect(points.count == 4)  // the negative value and NaN are left out
        let area = try svg.plotArea()
        // The axis spans exactly 1e-1 … 1e2: each decade is a third of the height.
        for (index, point) in points.enumerated() {
            let expected = area.y + area.height - Double(index) / 3 * area.height
            #expect(abs(point.y - expected) < 0.02, "point \(index)")
        }
        #expect(svg.texts.contains("0.1") && svg.texts.contains("100"))
    }

    @Test("long runs are thinned to the point limit, keeping the extremes")
    func thinning() throws {
        var chart = LossCurveSVG(
            records: (0..<10_000).map { step in
                MetricsRecord(
                    step: step, loss: step == 4321 ? 50 : 2 + sin(Double(step) / 100),
                    learningRate: 0, samplesPerSecond: 0)
            })
        chart.maximumPointCount = 500
        let svg = try SVGElements.parse(chart.render())
        let points = svg.points("series primary")
        #expect(points.count <= 500 && points.count >= 250)
        let area = try svg.plotArea()
        // The spike at step 4321 (the maximum) is kept: some point sits at the top tick region.
        let top = points.map(\.y).min()!
        #expect(top < area.y + area.height * 0.1)
    }

    @Test("an empty log gives a valid document saying so; titles are escaped; writes atomically")
    func emptyAndEscaping() throws {
        let directory = try TemporaryDirectory()
        let chart = LossCurveSVG(records: [], title: "loss <tiny> & \"fast\"")
        let svg = try SVGElements.parse(chart.render())
        #expect(svg.texts.contains("loss <tiny> & \"fast\""))
        #expect(svg.texts.contains("no loss logged yet"))
        #expect(svg.first("polyline") == nil)
        try chart.write(to: directory.file("loss_curve.svg"))
        #expect(try directory.contents() == ["loss_curve.svg"])
    }
}
