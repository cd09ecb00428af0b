/// Stops training when the validation monitor has not improved for `patience` epochs: a port
/// of PyTorch Lightning's `EarlyStopping(mode="max", min_delta=0.0, check_finite=True)` as
/// MARBLE's `get_callbacks.py` sets it up, together with `ModelCheckpoint(mode="max",
/// save_top_k=1)`'s choice of the best epoch (the first strictly best monitor).
///
/// ```swift
/// var stopping = EarlyStopping(patience: 20)
/// let decision = stopping.update(monitor: validAccuracy)
/// if decision.isBest { keepParameters() }
/// if decision.shouldStop { break }
/// ```
public struct EarlyStopping: Sendable, Equatable, Codable {
    /// What one epoch's monitor means for training.
    public struct Decision: Sendable, Equatable {
        /// The monitor is strictly above every earlier one: this epoch's parameters are the
        /// checkpoint to test.
        public var isBest: Bool
        /// Training ends after this epoch.
        public var shouldStop: Bool
    }

    /// Epochs without improvement before stopping (Lightning `patience`).
    public let patience: Int
    /// Improvement required (Lightning `min_delta`, MARBLE 0).
    public let minimumDelta: Double
    /// Best monitor so far (−∞ at the start); ModelCheckpoint's best, which ignores
    /// ``minimumDelta``.
    public private(set) var best = -Double.infinity
    /// The monitor that the patience counts from (Lightning's `best_score`).
    public private(set) var patienceBest = -Double.infinity
    /// 1-based epoch of ``best``; 0 before any epoch.
    public private(set) var bestEpoch = 0
    /// Epochs seen.
    public private(set) var epochCount = 0
    /// Epochs since the last improvement (Lightning `wait_count`).
    public private(set) var waitCount = 0

    /// A callback with `patience` and Lightning's `min_delta` 0 unless given.
    public init(patience: Int, minimumDelta: Double = 0) {
        self.patience = patience
        self.minimumDelta = minimumDelta
    }

    /// Records one epoch's monitor (higher is better).
    public mutating func update(monitor: Double) -> Decision {
        epochCount += 1
        // Lightning `check_finite`: a NaN or infinite monitor stops training at once.
        guard monitor.isFinite else { return Decision(isBest: false, shouldStop: true) }
        let isBest = monitor > best
        if isBest {
            best = monitor
            bestEpoch = epochCount
        }
        if monitor - minimumDelta > patienceBest {
            patienceBest = monitor
            waitCount = 0
            return Decision(isBest: isBest, shouldStop: false)
        }
        waitCount += 1
        return Decision(isBest: isBest, shouldStop: waitCount >= patience)
    }
}
