import Foundation

/// One axis of a chart: the value range it spans, where its ticks go and how they are labelled,
/// on a linear or a logarithmic scale.
package struct ChartAxis {
    /// How values map to positions.
    package let scale: LossCurveSVG.Scale
    /// The value at the start of the axis (left or bottom).
    package let lower: Double
    /// The value at the end of the axis (right or top).
    package let upper: Double
    /// Tick values, ascending, inside `lower...upper`.
    package let ticks: [Double]
    /// The spacing of linear ticks (for choosing decimals); 0 on a logarithmic axis.
    private let tickSpacing: Double

    /// An axis covering `values` (finite ones; positive ones on a log scale) with about
    /// `targetTickCount` ticks at round numbers, its ends moved out to ticks.
    ///
    /// - Parameter isInteger: Ticks fall on whole numbers (steps).
    package init(
        covering values: [Double], scale: LossCurveSVG.Scale, targetTickCount: Int = 5,
        isInteger: Bool = false
    ) {
        self.scale = scale
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        var low = usable.min() ?? (scale == .linear ? 0 : 1)
        var high = usable.max() ?? (scale == .linear ? 1 : 10)
        switch scale {
        case .linear:
            if low == high {
                let margin = low == 0 ? 1 : abs(low) * 0.1
                (low, high) = (low - margin, high + margin)
            }
            var spacing = Self.roundSpacing((high - low) / Double(max(1, targetTickCount)))
            if isInteger { spacing = max(1, spacing.rounded()) }
            let start = (low / spacing).rounded(.down) * spacing
            let end = (high / spacing).rounded(.up) * spacing
            let count = Int(((end - start) / spacing).rounded())
            lower = start
            upper = end
            ticks = (0...count).map { start + Double($0) * spacing }
            tickSpacing = spacing
        case .logarithmic:
            let firstDecade = log10(low).rounded(.down)
            var lastDecade = log10(high).rounded(.up)
            if lastDecade == firstDecade { lastDecade += 1 }
            lower = pow(10, firstDecade)
            upper = pow(10, lastDecade)
            // Few decades: 1, 2 and 5 of each, so a loss between 3 and 7 still gets ticks.
            let multiples: [Double] = lastDecade - firstDecade <= 2 ? [1, 2, 5] : [1]
            var ticks: [Double] = []
            for decade in Int(firstDecade)...Int(lastDecade) {
                for multiple in multiples {
                    let value = multiple * pow(10, Double(decade))
                    if value <= upper * (1 + 1e-12) { ticks.append(value) }
                }
            }
            self.ticks = ticks
            tickSpacing = 0
        }
    }

    /// Where `value` falls along the axis: 0 at ``lower``, 1 at ``upper``.
    package func fraction(of value: Double) -> Double {
        switch scale {
        case .linear: (value - lower) / (upper - lower)
        case .logarithmic: (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    /// Whether `value` can be placed on this axis (finite; positive on a log scale).
    package func accepts(_ value: Double) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }

    /// The tick's label: as many decimals as the spacing needs, `k`/`M` for round thousands and
    /// millions, powers of ten as `1e-4` on a log axis far from 1.
    package func label(_ value: Double) -> String {
        switch scale {
        case .linear:
            if tickSpacing >= 1000, value != 0, value.truncatingRemainder(dividingBy: 1000) == 0 {
                if tickSpacing >= 1_000_000, value.truncatingRemainder(dividingBy: 1_000_000) == 0 {
                    return "\(Int(value / 1_000_000))M"
                }
                return "\(Int(value / 1000))k"
            }
            let decimals = max(0, Int(-log10(tickSpacing).rounded(.down)))
            let text = String(format: "%.\(decimals)f", value)
            return text == "-" + String(format: "%.\(decimals)f", 0.0)
                ? String(text.dropFirst()) : text
        case .logarithmic:
            let exponent = Int(log10(value).rounded(.down))
            if exponent < -2 || exponent > 3 {
                let mantissa = value / pow(10, Double(exponent))
                let lead = abs(mantissa - 1) < 1e-9 ? "" : String(format: "%.0f", mantissa)
                return "\(lead)e\(exponent)"
            }
            return String(format: "%g", value)
        }
    }

    /// 1, 2 or 5 times a power of ten, the nearest at or above `raw`.
    private static func roundSpacing(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, log10(raw).rounded(.down))
        for multiple: Double in [1, 2, 5, 10] where multiple * power >= raw * (1 - 1e-12) {
            return multiple * power
        }
        return 10 * power
    }
}
