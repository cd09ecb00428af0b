import Foundation

/// The beat-tracking HMM's observation model, ported from madmom's
/// `RNNBeatTrackingObservationModel`: the first 1/λ of every beat are beat states, observed
/// with density a (the beat activation); the rest are non-beat states, observed with
/// (1 − a) / (λ − 1).
struct BeatObservationModel: Sendable {
    /// Whether each state is a beat state (madmom's observation `pointers` equal to 1).
    let isBeatState: [Bool]
    /// λ, `observation_lambda`.
    let observationLambda: Int

    /// Marks the states of `stateSpace` whose position is below 1/`observationLambda`.
    init(stateSpace: BeatStateSpace, observationLambda: Int) {
        let border = 1 / Double(observationLambda)
        isBeatState = stateSpace.statePositions.map { $0 < border }
        self.observationLambda = observationLambda
    }

    /// Per frame, the log densities `[non-beat, beat]` of `activations`, flattened `[frames, 2]`.
    ///
    /// They are computed in single precision and then widened, as NumPy computes madmom's
    /// `np.log((1. - a) / (λ - 1))` and `np.log(a)` for float32 activations.
    func logDensities(_ activations: ArraySlice<Float>) -> [Double] {
        let nonBeatShare = Float(observationLambda - 1)
        var densities: [Double] = []
        densities.reserveCapacity(2 * activations.count)
        for activation in activations {
            densities.append(Double(log((1 - activation) / nonBeatShare)))
            densities.append(Double(log(activation)))
        }
        return densities
    }
}
