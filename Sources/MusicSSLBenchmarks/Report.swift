import Foundation

/// Markdown tables for the benchmark's results.
enum Report {
    /// One row per product: best (median) GFLOP/s at each thread count.
    static func gemmTable(_ results: [GEMMPeak.Result], threadCounts: [Int]) -> String {
        var lines = [
            "| product | "
                + threadCounts.map { "\($0) thread\($0 == 1 ? "" : "s"): best (median) GFLOP/s" }
                .joined(separator: " | ") + " |",
            "|---|" + String(repeating: "---:|", count: threadCounts.count),
        ]
        for product in GEMMPeak.products {
            let cells = threadCounts.map { threads -> String in
                guard
                    let result = results.first(where: {
                        $0.product.label == product.label && $0.threadCount == threads
                    })
                else { return "–" }
                return
                    "\(format(result.bestGFLOPs, digits: 0)) (\(format(result.medianGFLOPs, digits: 0)))"
            }
            lines.append("| \(product.label) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    /// Timings of one side of the layer comparison.
    struct LayerColumn {
        let label: String
        let forwardSeconds: [Double]
        let forwardBackwardSeconds: [Double]
        let peakResidentMebibytes: Double?
        let residentAtStartMebibytes: Double?
    }

    /// Forward and forward+backward times, GFLOP/s and share of the GEMM peak, side by side.
    static func layerTable(
        _ columns: [LayerColumn], forwardFLOPs: Double, peakGFLOPs: Double
    ) -> String {
        func row(_ name: String, _ cell: (LayerColumn) -> String) -> String {
            "| \(name) | " + columns.map(cell).joined(separator: " | ") + " |"
        }
        func milliseconds(_ samples: [Double]) -> String {
            let summary = Summary(samples)
            return
                "\(format(summary.median * 1e3, digits: 0)) (\(format(summary.best * 1e3, digits: 0)))"
        }
        func throughput(_ samples: [Double], flops: Double) -> Double {
            flops / Summary(samples).median * 1e-9
        }
        let stepFLOPs = 3 * forwardFLOPs
        return [
            "| [8, 250, 768], training mode | " + columns.map(\.label).joined(separator: " | ")
                + " |",
            "|---|" + String(repeating: "---:|", count: columns.count),
            row("forward, median (best) ms") { milliseconds($0.forwardSeconds) },
            row("forward + backward, median (best) ms") { milliseconds($0.forwardBackwardSeconds) },
            row("forward GFLOP/s (median)") {
                format(throughput($0.forwardSeconds, flops: forwardFLOPs), digits: 0)
            },
            row("forward + backward GFLOP/s (median)") {
                format(throughput($0.forwardBackwardSeconds, flops: stepFLOPs), digits: 0)
            },
            row("forward + backward, share of the sgemm peak") {
                format(
                    100 * throughput($0.forwardBackwardSeconds, flops: stepFLOPs) / peakGFLOPs,
                    digits: 0) + " %"
            },
            row("peak RSS of the process (before building the layer), MiB") {
                let peak = $0.peakResidentMebibytes.map { format($0, digits: 0) } ?? "–"
                let start = $0.residentAtStartMebibytes.map { format($0, digits: 0) } ?? "–"
                return "\(peak) (\(start))"
            },
        ].joined(separator: "\n")
    }

    /// `value` with `digits` decimals.
    static func format(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
