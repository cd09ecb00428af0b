extension ProbeSweepConfiguration {
    /// This grid with `task`'s own ``ProbeSchedule`` (MARBLE's patience and epoch limit for it),
    /// its epoch limit replaced by `maximumEpochs` when given.
    public func scheduled(for task: ProbeTask, maximumEpochs: Int? = nil)
        -> ProbeSweepConfiguration
    {
        var configuration = self
        configuration.training.schedule = task.schedule
        if let maximumEpochs { configuration.training.schedule.maximumEpochs = maximumEpochs }
        return configuration
    }
}
