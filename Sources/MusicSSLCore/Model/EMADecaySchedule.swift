/// data2vec's teacher decay: linear from ``start`` at update 0 to ``end`` at ``annealSteps``,
/// then constant (fairseq `ema_decay`, `ema_end_decay`, `ema_anneal_end_step`).
public struct EMADecaySchedule: Codable, Equatable, Sendable {
    /// Decay at update 0 (0.999).
    public var start: Double
    /// Decay from ``annealSteps`` on (0.9999).
    public var end: Double
    /// Updates over which the decay moves from start to end (30 000).
    public var annealSteps: Int

    /// data2vec base: 0.999 → 0.9999 over 30 000 updates.
    public static let data2vec = EMADecaySchedule(start: 0.999, end: 0.9999, annealSteps: 30_000)

    /// Creates a schedule.
    public init(start: Double, end: Double, annealSteps: Int) {
        self.start = start
        self.end = end
        self.annealSteps = annealSteps
    }

    /// The decay for update `step` (updates already done):
    /// `end − (end − start)·(1 − step/annealSteps)` before ``annealSteps``, else ``end``.
    public func decay(atStep step: Int) -> Double {
        guard annealSteps > 0, step < annealSteps else { return end }
        return end - (end - start) * (1 - Double(step) / Double(annealSteps))
    }
}
