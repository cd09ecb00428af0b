/// scikit-learn's `MiniBatchKMeans._mini_batch_convergence`: early stopping on an exponentially
/// weighted average (EWA) of the per-sample batch inertia, or on a small centre change.
struct MiniBatchConvergence {
    let batchSize: Int
    let sampleCount: Int
    /// Absolute bound on the squared centre change (0: off).
    let tolerance: Double
    let maximumStepsWithoutImprovement: Int?
    /// The EWA of the per-sample batch inertia; nil until the second step.
    private(set) var averageInertia: Double?
    /// The last per-sample batch inertia.
    private(set) var lastBatchInertia: Double?
    private var minimumAverage: Double?
    private var stepsWithoutImprovement = 0

    init(batchSize: Int, sampleCount: Int, tolerance: Double, maximumStepsWithoutImprovement: Int?)
    {
        self.batchSize = batchSize
        self.sampleCount = sampleCount
        self.tolerance = tolerance
        self.maximumStepsWithoutImprovement = maximumStepsWithoutImprovement
    }

    /// Takes the result of 0-based step `step`; returns why to stop, or nil to go on.
    mutating func update(
        step: Int, batchInertia: Double, squaredCentreShift: Double
    ) -> KMeansStopReason? {
        let perSample = batchInertia / Double(batchSize)
        lastBatchInertia = perSample
        // The first step's inertia is that of the seeding; it is left out.
        guard step > 0 else { return nil }
        if let average = averageInertia {
            let alpha = Swift.min(Double(batchSize) * 2 / Double(sampleCount + 1), 1)
            averageInertia = average * (1 - alpha) + perSample * alpha
        } else {
            averageInertia = perSample
        }
        if tolerance > 0, squaredCentreShift <= tolerance { return .centreShiftWithinTolerance }
        if let average = averageInertia, average < minimumAverage ?? .infinity {
            stepsWithoutImprovement = 0
            minimumAverage = average
        } else {
            stepsWithoutImprovement += 1
        }
        if let limit = maximumStepsWithoutImprovement, stepsWithoutImprovement >= limit {
            return .noImprovement
        }
        return nil
    }
}
