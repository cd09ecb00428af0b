/// The grid of a ``ProbeSweep`` and the settings its runs share (probe-spec §1.5: MARBLE's
/// paper sweeps LR {5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2} × layer {all, 0…L}, one seed, 1234).
public struct ProbeSweepConfiguration: Sendable, Equatable {
    /// Adam learning rates.
    public var learningRates: [Double] = Self.marbleLearningRates
    /// Layer selections; nil is `.all` then every single hidden state 0…L of the features.
    public var layers: [LayerSelection]?
    /// Seeds; each configuration runs once per seed.
    public var seeds: [UInt64] = [1234]
    /// Every other training setting; its learning rate, layer and seed are replaced per run.
    public var training: ProbeTrainingConfiguration

    /// MARBLE's learning-rate grid.
    public static let marbleLearningRates = [5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2]

    /// MARBLE's grid for a task with `schedule`, with `training`'s defaults.
    public init(schedule: ProbeSchedule) {
        training = ProbeTrainingConfiguration(learningRate: 1e-3, layer: .all, schedule: schedule)
    }

    /// A grid around `training`'s settings.
    public init(
        training: ProbeTrainingConfiguration, learningRates: [Double] = marbleLearningRates,
        layers: [LayerSelection]? = nil, seeds: [UInt64] = [1234]
    ) {
        self.training = training
        self.learningRates = learningRates
        self.layers = layers
        self.seeds = seeds
    }
}
