import Foundation

/// An HMM's transition log-probabilities stored by destination, as madmom's `TransitionModel`
/// stores them (a CSR matrix): the predecessors of state s are
/// `predecessors[rowStarts[s]..<rowStarts[s + 1]]`, ascending, with their log-probabilities at
/// the same positions in `logProbabilities`. Transitions of probability 0 are absent.
struct SparseTransitions: Sendable {
    /// `stateCount + 1` offsets into `predecessors`.
    let rowStarts: [Int]
    /// Origin states, grouped by destination.
    let predecessors: [Int32]
    /// log P(destination | origin) for each entry of `predecessors`.
    let logProbabilities: [Double]

    /// The number of states.
    var stateCount: Int { rowStarts.count - 1 }

    /// The transitions given as (origin, destination, probability) triples; duplicate pairs
    /// are not allowed. Each destination's origins are sorted ascending, as SciPy's
    /// `csr_matrix` sorts them, because the Viterbi keeps the first of equal candidates.
    init(stateCount: Int, transitions: [(origin: Int, destination: Int, probability: Double)]) {
        var counts = [Int](repeating: 0, count: stateCount + 1)
        for transition in transitions { counts[transition.destination + 1] += 1 }
        for state in 0..<stateCount { counts[state + 1] += counts[state] }
        let ordered = transitions.sorted {
            ($0.destination, $0.origin) < ($1.destination, $1.origin)
        }
        rowStarts = counts
        predecessors = ordered.map { Int32($0.origin) }
        logProbabilities = ordered.map { log($0.probability) }
    }
}
