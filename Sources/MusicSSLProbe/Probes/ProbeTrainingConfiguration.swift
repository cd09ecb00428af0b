/// Everything one probe training run depends on besides the features: MARBLE's settings by
/// default (probe-spec §1.4–1.5, `benchmark/models/probers.py`, `get_callbacks.py`, the tasks'
/// base configurations).
///
/// ```swift
/// var configuration = ProbeTrainingConfiguration(
///     learningRate: 1e-3, layer: .all, schedule: task.schedule)
/// configuration.architecture = .linear
/// ```
public struct ProbeTrainingConfiguration: Sendable, Equatable {
    /// Adam's initial learning rate (the sweep's grid: 5e-5 … 1e-2).
    public var learningRate: Double
    /// The hidden states read.
    public var layer: LayerSelection
    /// Early stopping, plateau patience and the epoch limit (the task's ``ProbeTask/schedule``).
    public var schedule: ProbeSchedule
    /// Seed of initialisation, batch order, dropout and beat crops (MARBLE: 1234).
    public var seed: UInt64
    /// The head (MARBLE: MLP 512, dropout 0.2).
    public var architecture: ProbeArchitecture = .marble
    /// How a weighted sum's layer logits start (MARBLE: `randn`).
    public var layerWeightInitialization: LayerWeightInitialization = .randomNormal
    /// Items per batch, for training and evaluation (MARBLE: 64). A training batch holds every
    /// window of its items, so it may have more rows.
    public var batchSize = 64
    /// `ReduceLROnPlateau(factor=…)` (MARBLE: 0.5).
    public var learningRateFactor = 0.5
    /// `ReduceLROnPlateau(threshold=…)`, relative (torch's default 1e-4).
    public var plateauThreshold = 1e-4
    /// `ReduceLROnPlateau(cooldown=…)` (torch's default 0).
    public var plateauCooldown = 0
    /// `EarlyStopping(min_delta=…)` (Lightning's default 0).
    public var earlyStoppingMinimumDelta = 0.0
    /// Degenerate labels in macro ROC-AUC / AP (default: skipped and counted).
    public var degenerateLabelPolicy = DegenerateLabelPolicy.skipDegenerate
    /// Beat tracking: what each epoch trains on (MARBLE: random 10-s crops).
    public var beatTrainingInput = BeatTrainingInput.marble
    /// Beat tracking: frames on each side of a beat also labelled beat in training (MARBLE: 1).
    public var beatLabelWidening = 1
    /// Beat tracking: the DBN decoder's settings; nil takes madmom's defaults at the features'
    /// frame rate (MARBLE).
    public var beatDecoder: DBNBeatDecoder.Configuration?

    /// MARBLE's settings at `learningRate` and `layer` for a task with `schedule`.
    public init(
        learningRate: Double, layer: LayerSelection, schedule: ProbeSchedule,
        seed: UInt64 = 1234
    ) {
        self.learningRate = learningRate
        self.layer = layer
        self.schedule = schedule
        self.seed = seed
    }

    /// Every setting except the learning rate, layer and seed, as one line: the sweep keys
    /// finished runs by (learning rate, layer, seed) and checks this line, so a run trained
    /// under other settings is trained again.
    public var settingsDescription: String {
        [
            "architecture=\(architecture)", "init=\(layerWeightInitialization.rawValue)",
            "batch=\(batchSize)", "plateau=\(schedule.learningRatePatience)",
            "stop=\(schedule.earlyStoppingPatience)", "epochs=\(schedule.maximumEpochs)",
            "factor=\(learningRateFactor)", "threshold=\(plateauThreshold)",
            "cooldown=\(plateauCooldown)", "minDelta=\(earlyStoppingMinimumDelta)",
            "degenerate=\(degenerateLabelPolicy)", "beatInput=\(beatTrainingInput)",
            "beatWidening=\(beatLabelWidening)",
            "beatDecoder=\(beatDecoder.map { "\($0)" } ?? "default")",
        ].joined(separator: ";")
    }

    /// Throws unless every value is in range.
    func validate() throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw ProbeError.invalidConfiguration(
                "learning rate must be positive, got \(learningRate)")
        }
        guard batchSize > 0 else {
            throw ProbeError.invalidConfiguration("batch size must be positive, got \(batchSize)")
        }
        guard schedule.maximumEpochs > 0, schedule.earlyStoppingPatience > 0,
            schedule.learningRatePatience >= 0
        else {
            throw ProbeError.invalidConfiguration(
                "schedule needs epochs > 0, stopping patience > 0 and plateau patience ≥ 0, "
                    + "got \(schedule)")
        }
        guard learningRateFactor > 0, learningRateFactor < 1 else {
            throw ProbeError.invalidConfiguration(
                "learning-rate factor must lie in (0, 1), got \(learningRateFactor)")
        }
        if case .randomCrops(let seconds) = beatTrainingInput, !(seconds > 0) {
            throw ProbeError.invalidConfiguration(
                "beat crops must be longer than 0 s, got \(seconds)")
        }
    }
}
