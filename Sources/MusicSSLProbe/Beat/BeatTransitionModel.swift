import Foundation

/// The beat-tracking HMM's transitions, ported from madmom's `BeatTransitionModel`: within a
/// beat each state advances to the next with probability 1; from the last state of interval i
/// the chain moves to the first state of interval j with probability ∝ exp(−λ·|j/i − 1|).
enum BeatTransitionModel {
    /// The sparse transitions of `stateSpace` with tempo-change parameter `lambda`.
    static func transitions(for stateSpace: BeatStateSpace, lambda: Double) -> SparseTransitions {
        var transitions: [(origin: Int, destination: Int, probability: Double)] = []
        let firstStates = Set(stateSpace.firstStates)
        for state in 0..<stateSpace.stateCount where !firstStates.contains(state) {
            transitions.append((state - 1, state, 1))
        }
        let tempoChanges = tempoChangeProbabilities(
            intervals: stateSpace.intervals, lambda: lambda)
        for (from, row) in tempoChanges.enumerated() {
            for (to, probability) in row.enumerated() where probability != 0 {
                transitions.append(
                    (stateSpace.lastStates[from], stateSpace.firstStates[to], probability))
            }
        }
        return SparseTransitions(stateCount: stateSpace.stateCount, transitions: transitions)
    }

    /// madmom's `exponential_transition`: `[from, to]` probabilities exp(−λ·|to/from − 1|),
    /// those at most one ULP of 1.0 (`np.spacing(1)`) set to 0, each row divided by its sum.
    static func tempoChangeProbabilities(intervals: [Int], lambda: Double) -> [[Double]] {
        intervals.map { from in
            let row = intervals.map { to -> Double in
                let ratio = Double(to) / Double(from)
                let probability = exp(-lambda * abs(ratio - 1))
                return probability <= Double.ulpOfOne ? 0 : probability
            }
            let sum = pairwiseSum(row[...])
            return row.map { $0 / sum }
        }
    }
}
