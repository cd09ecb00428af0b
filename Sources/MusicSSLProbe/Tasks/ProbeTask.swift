/// A probing task: what is predicted, how it is scored, its items with their splits and labels,
/// and MARBLE's training schedule for it.
///
/// The 13 tasks of the paper are built by ``NamedTask/load(from:)`` from the data sets' own
/// layouts; ``CSVTask`` builds one from a user's manifest. Both produce this type, so feature
/// extraction, probes, sweep, metrics and reports are the same code for every task.
public struct ProbeTask: Sendable, Equatable {
    /// Short name used on the command line and in reports, e.g. `gtzan-genre`.
    public var name: String
    /// What the probe predicts.
    public var kind: TaskKind
    /// How predictions are scored.
    public var metric: TaskMetric
    /// Every item, in a stable order (the loaders sort them).
    public var items: [TaskItem]
    /// Early stopping and learning-rate halving.
    public var schedule: ProbeSchedule
    /// Feature window in seconds (MARBLE: 30 for the Music2vec and MusicHuBERT configurations).
    public var windowSeconds: Double

    /// Creates a task.
    public init(
        name: String, kind: TaskKind, metric: TaskMetric, items: [TaskItem],
        schedule: ProbeSchedule = .standard, windowSeconds: Double = 30
    ) {
        self.name = name
        self.kind = kind
        self.metric = metric
        self.items = items
        self.schedule = schedule
        self.windowSeconds = windowSeconds
    }

    /// The items of `split`, in task order.
    public func items(in split: DataSplit) -> [TaskItem] {
        items.filter { $0.split == split }
    }
}
