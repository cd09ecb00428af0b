import MusicSSLCore

/// A model's losses on fixed batches under fixed masks, so that the values before and after
/// training compare like with like (the trainer's logged losses each come from another batch
/// and another mask).
struct FixedBatchLosses {
    /// The model's total: Σ weight · term + feature-penalty weight · penalty, averaged over
    /// the batches.
    var total: Double
    /// Each term's loss before its weight, by name.
    var terms: [String: Double]
    /// mean(CNN output²), before its weight.
    var featurePenalty: Double
    /// Each term's monitors, as `<term>/<metric>`.
    var metrics: [String: Double]

    /// Measures `model` in evaluation mode, without recording gradients, on `batches`, batch
    /// `i` masked by `SplitMix64(seed: seed, index: i)`.
    init(of model: MaskedPredictionModel, on batches: [PretrainingBatch], seed: UInt64) throws {
        model.setTraining(false)
        defer { model.setTraining(true) }
        var (total, penalty, terms, metrics) = (0.0, 0.0, [String: Double](), [String: Double]())
        for (index, batch) in batches.enumerated() {
            var generator = SplitMix64(seed: seed, index: UInt64(index))
            let loss = try noGrad { try model.loss(for: batch, using: &generator) }
            total += Double(try loss.total.item()) / Double(batches.count)
            penalty += loss.featurePenalty / Double(batches.count)
            for (name, value) in loss.termLosses {
                terms[name, default: 0] += value / Double(batches.count)
            }
            for (name, value) in loss.metrics {
                metrics[name, default: 0] += value / Double(batches.count)
            }
        }
        (self.total, featurePenalty, self.terms, self.metrics) = (total, penalty, terms, metrics)
    }
}
