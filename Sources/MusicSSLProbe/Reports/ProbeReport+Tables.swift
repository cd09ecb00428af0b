import Foundation

extension ProbeReport {
    /// A score ×100 with one decimal, as the paper prints it (`0.7412` → `74.1`).
    public static func percent(_ value: Double) -> String {
        value.isFinite ? String(format: "%.1f", value * 100) : "nan"
    }

    /// `mean ± sd` (×100) with several seeds, the mean alone with one, `–` without a result.
    func formattedCell(model: String, column: ReportColumn) -> String {
        guard let cell = cell(model: model, column: column) else { return "–" }
        return cell.seeds > 1
            ? "\(Self.percent(cell.mean)) ± \(Self.percent(cell.standardDeviation))"
            : Self.percent(cell.mean)
    }

    /// The Table-1 table in Markdown: a row per model, a column per task score and `Avg.`.
    public func markdownTable() -> String {
        let titles = ["Model"] + columns.map(\.title) + ["Avg."]
        var lines = [
            "| " + titles.joined(separator: " | ") + " |",
            "|"
                + titles.enumerated().map { $0.offset == 0 ? " --- " : " ---: " }.joined(
                    separator: "|") + "|",
        ]
        for model in models {
            let cells = columns.map { formattedCell(model: model, column: $0) }
            let average = average(model: model).map(Self.percent) ?? "–"
            lines.append(
                "| " + ([Self.markdownEscaped(model)] + cells + [average]).joined(separator: " | ")
                    + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The Table-1 table as CSV: `model`, then per column its mean (×100) and, with several
    /// seeds, its standard deviation (`<title> sd`), then `average`.
    public func tableCSV() -> String {
        let hasSeeds = results.values.flatMap(\.values).contains {
            ($0.selected?.runs.count ?? 1) > 1
        }
        var header = ["model"]
        for column in columns {
            header.append(column.title)
            if hasSeeds { header.append("\(column.title) sd") }
        }
        header.append("average")
        var rows = [header]
        for model in models {
            var row = [model]
            for column in columns {
                let cell = cell(model: model, column: column)
                row.append(cell.map { Self.percent($0.mean) } ?? "")
                if hasSeeds { row.append(cell.map { Self.percent($0.standardDeviation) } ?? "") }
            }
            row.append(average(model: model).map(Self.percent) ?? "")
            rows.append(row)
        }
        return CSVText.render(rows)
    }

    /// Every run of every sweep as CSV, one row per (model, task, learning rate, layer, seed):
    /// the epochs, the best epoch, the validation monitor, then each score on validation and
    /// test (fractions, not ×100), the wall time and whether the run's cell was selected.
    public func gridCSV() -> String {
        var scoreNames = Set<String>()
        for result in results.values.flatMap(\.values) {
            for run in result.runs {
                scoreNames.formUnion(run.valid.values.keys)
                scoreNames.formUnion(run.test.values.keys)
            }
        }
        let names = scoreNames.sorted()
        var rows = [
            [
                "model", "task", "learning_rate", "layer", "seed", "epochs", "best_epoch",
                "valid_monitor",
            ]
                + names.map { "valid_\($0)" } + names.map { "test_\($0)" } + [
                    "seconds", "selected",
                ]
        ]
        for model in models {
            for task in tasks {
                guard let result = results[model]?[task.name] else { continue }
                let selected = result.selected
                for run in result.runs {
                    let isSelected =
                        selected.map {
                            $0.learningRate == run.learningRate && $0.layer == run.layer
                        } ?? false
                    rows.append(
                        [
                            model, task.name, "\(run.learningRate)", run.layer.description,
                            "\(run.seed)",
                            "\(run.epochCount)", "\(run.bestEpoch)",
                            Self.decimal(run.valid.monitor),
                        ]
                            + names.map { run.valid.values[$0].map(Self.decimal) ?? "" }
                            + names.map { run.test.values[$0].map(Self.decimal) ?? "" }
                            + [String(format: "%.2f", run.seconds), isSelected ? "yes" : "no"])
                }
            }
        }
        return CSVText.render(rows)
    }

    /// The selected configuration of each (model, task) in Markdown: learning rate, layer,
    /// validation monitor, seeds and epochs.
    public func markdownSelections() -> String {
        var lines = [
            "| Model | Task | Learning rate | Layer | Valid monitor | Seeds | Best epoch (mean) |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for model in models {
            for task in tasks {
                guard let selected = results[model]?[task.name]?.selected else { continue }
                let bestEpoch =
                    Double(selected.runs.map(\.bestEpoch).reduce(0, +))
                    / Double(selected.runs.count)
                lines.append(
                    "| \(Self.markdownEscaped(model)) | \(task.title) | \(selected.learningRate) | \(selected.layer) | "
                        + "\(Self.percent(selected.meanValidMonitor)) | \(selected.runs.count) | "
                        + String(format: "%.1f", bestEpoch) + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The learned softmax layer weights of each model's weighted-sum probe on `task` (the
    /// `all` cell with the best validation monitor, its first seed), in Markdown; nil when no
    /// model has one.
    public func markdownLayerWeights(task: ReportTask) -> String? {
        let weights = models.compactMap { model in
            layerWeights(model: model, task: task.name).map { (model, $0) }
        }
        guard let layers = weights.first?.1.map(\.layer) else { return nil }
        var lines = [
            "| Model | " + layers.map { "L\($0)" }.joined(separator: " | ") + " |",
            "| --- |" + String(repeating: " ---: |", count: layers.count),
        ]
        for (model, entries) in weights {
            lines.append(
                "| \(Self.markdownEscaped(model)) | "
                    + entries.map { String(format: "%.3f", $0.weight) }.joined(separator: " | ")
                    + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The weights of the best weighted-sum cell of `model` on `task`, nil without one.
    func layerWeights(model: String, task: String) -> [ProbeRunResult.LayerWeight]? {
        guard let result = results[model]?[task] else { return nil }
        let cells = result.configurations.filter {
            if case .weightedSum = $0.layer { true } else { false }
        }
        return SweepResult.best(of: cells)?.runs.first?.layerWeights
    }

    static func decimal(_ value: Double) -> String { String(format: "%.6g", value) }

    static func markdownEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}

/// CSV text as RFC 4180 writes it: fields with commas, quotes or line breaks quoted, quotes
/// doubled, lines ended by `\n`.
enum CSVText {
    static func render(_ rows: [[String]]) -> String {
        rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
