/// A task's whole probe grid (learning rates × layer selections × seeds) for one model, and the
/// configuration chosen on validation (probe-spec §1.5: "the (LR, layer) run with the best
/// validation monitor; its test score is reported").
///
/// With several seeds, a configuration's validation monitor is the mean over its seeds, and the
/// reported test scores are the mean and standard deviation over those seeds.
public struct SweepResult: Sendable, Equatable, Codable {
    /// The task's name.
    public var task: String
    /// How it was scored.
    public var metric: TaskMetric
    /// Every run of the grid, in the order they ran.
    public var runs: [ProbeRunResult]

    /// Creates a result from its runs.
    public init(task: String, metric: TaskMetric, runs: [ProbeRunResult]) {
        self.task = task
        self.metric = metric
        self.runs = runs
    }

    /// One (learning rate, layer) cell of the grid, its seeds pooled.
    public struct Configuration: Sendable, Equatable {
        /// The learning rate.
        public var learningRate: Double
        /// The layer selection.
        public var layer: LayerSelection
        /// The runs of this cell, one per seed.
        public var runs: [ProbeRunResult]

        /// Mean validation monitor over the seeds.
        public var meanValidMonitor: Double { mean(runs.map(\.valid.monitor)) }

        /// ``meanValidMonitor`` for ranking: NaN (a run that diverged) counts as −∞, so it is
        /// never chosen over a cell that trained.
        var rankingMonitor: Double { meanValidMonitor.isNaN ? -.infinity : meanValidMonitor }

        /// Mean test score of `name` over the seeds, nil when a run lacks it.
        public func meanTest(_ name: String) -> Double? {
            let values = runs.compactMap { $0.test.values[name] }
            return values.count == runs.count ? mean(values) : nil
        }

        /// Sample standard deviation of the test score `name` over the seeds (0 for one seed).
        public func standardDeviationOfTest(_ name: String) -> Double? {
            let values = runs.compactMap { $0.test.values[name] }
            guard values.count == runs.count else { return nil }
            return standardDeviation(values)
        }

        /// Mean validation score of `name` over the seeds, nil when a run lacks it.
        public func meanValid(_ name: String) -> Double? {
            let values = runs.compactMap { $0.valid.values[name] }
            return values.count == runs.count ? mean(values) : nil
        }
    }

    /// The grid's cells, in the order of their first run.
    public var configurations: [Configuration] {
        var cells: [Configuration] = []
        for run in runs {
            if let index = cells.firstIndex(where: {
                $0.learningRate == run.learningRate && $0.layer == run.layer
            }) {
                cells[index].runs.append(run)
            } else {
                cells.append(
                    Configuration(learningRate: run.learningRate, layer: run.layer, runs: [run]))
            }
        }
        return cells
    }

    /// The cell with the highest mean validation monitor; the earliest among equal ones. Nil
    /// for an empty grid.
    public var selected: Configuration? { Self.best(of: configurations) }

    /// The cell of `cells` with the highest mean validation monitor, the earliest among equal
    /// ones; a cell whose monitor is NaN (a diverged run) ranks below every other. Nil for none.
    public static func best(of cells: [Configuration]) -> Configuration? {
        var best: Configuration?
        for cell in cells {
            if let current = best, cell.rankingMonitor <= current.rankingMonitor { continue }
            best = cell
        }
        return best
    }

    public var bestPerLayer: [Configuration] {
        var order: [LayerSelection] = []
        for cell in configurations where !order.contains(cell.layer) { order.append(cell.layer) }
        return order.compactMap { layer in Self.best(of: configurations.filter { $0.layer == layer }) }
    }
}

private func mean(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
}

private func standardDeviation(_ values: [Double]) -> Double {
    guard values.count > 1 else { return 0 }
    let average = mean(values)
    let squares = values.reduce(0) { $0 + ($1 - average) * ($1 - average) }
    return (squares / Double(values.count - 1)).squareRoot()
}
