import Foundation

/// The most probable state sequence of an HMM with a uniform initial distribution and sparse
/// transitions, computed in log probabilities as madmom's `HiddenMarkovModel.viterbi`
/// (`madmom/ml/hmm.pyx`) computes it, operation for operation, so that ties resolve alike.
struct ViterbiDecoder: Sendable {
    /// A decoded path.
    struct Path: Equatable, Sendable {
        /// The state at each frame; empty when no path has a finite log probability.
        let states: [Int]
        /// The path's log probability (initial, transition and observation terms); −∞ when no
        /// path is possible.
        let logProbability: Double
    }

    /// The transitions, by destination.
    let transitions: SparseTransitions
    /// The column of the log-density rows that each state is observed through.
    let densityColumns: [Int]
    /// The number of log densities per frame.
    let densityColumnCount: Int

    /// The best path for `logDensities`, flattened `[frames, densityColumnCount]`.
    ///
    /// For each frame and state the score is the maximum over predecessors of
    /// (previous score + transition log probability) + observation log density, the first
    /// predecessor winning ties; the path ends in the first state of highest score (NumPy's
    /// `argmax`). Only states with several predecessors keep back-pointers, one per frame, so
    /// memory grows with frames × tempi rather than frames × states.
    func bestPath(logDensities: [Double]) -> Path {
        let frameCount = logDensities.count / densityColumnCount
        let stateCount = transitions.stateCount
        guard frameCount > 0, stateCount > 0 else {
            return Path(states: [], logProbability: frameCount > 0 ? -.infinity : 0)
        }
        var branchSlots = [Int](repeating: -1, count: stateCount)
        var branchCount = 0
        for state in 0..<stateCount
        where transitions.rowStarts[state + 1] - transitions.rowStarts[state] > 1 {
            branchSlots[state] = branchCount
            branchCount += 1
        }
        var backPointers = [Int32](repeating: 0, count: frameCount * branchCount)
        var previous = [Double](repeating: log(1 / Double(stateCount)), count: stateCount)
        var current = [Double](repeating: 0, count: stateCount)
        backPointers.withUnsafeMutableBufferPointer { backPointers in
            logDensities.withUnsafeBufferPointer { logDensities in
                for frame in 0..<frameCount {
                    previous.withUnsafeBufferPointer { previous in
                        current.withUnsafeMutableBufferPointer { current in
                            step(
                                from: previous, into: current,
                                densities: logDensities.baseAddress! + frame * densityColumnCount,
                                branchSlots: branchSlots,
                                backPointers: backPointers.baseAddress! + frame * branchCount)
                        }
                    }
                    swap(&previous, &current)
                }
            }
        }
        var last = 0
        for state in 1..<stateCount where previous[state] > previous[last] { last = state }
        let logProbability = previous[last]
        // madmom warns and returns an empty path when the best score is −∞.
        guard logProbability > -.infinity else {
            return Path(states: [], logProbability: logProbability)
        }
        var states = [Int](repeating: 0, count: frameCount)
        var state = last
        for frame in stride(from: frameCount - 1, through: 0, by: -1) {
            states[frame] = state
            // A state of finite score has a predecessor; the one read at frame 0 stands for the
            // initial distribution and is not used.
            let slot = branchSlots[state]
            let entries = transitions.rowStarts[state]..<transitions.rowStarts[state + 1]
            if slot >= 0 {
                state = Int(backPointers[frame * branchCount + slot])
            } else if let entry = entries.first {
                state = Int(transitions.predecessors[entry])
            }
        }
        return Path(states: states, logProbability: logProbability)
    }

    /// One frame of the recursion: `current[s]` = max over predecessors p of
    /// (`previous[p]` + log P(s | p)) + density of s, in madmom's order of operations; the
    /// arg-max predecessor of each branching state goes to `backPointers[slot]`.
    private func step(
        from previous: UnsafeBufferPointer<Double>, into current: UnsafeMutableBufferPointer<Double>,
        densities: UnsafePointer<Double>, branchSlots: [Int],
        backPointers: UnsafeMutablePointer<Int32>
    ) {
        transitions.rowStarts.withUnsafeBufferPointer { rowStarts in
            transitions.predecessors.withUnsafeBufferPointer { predecessors in
                transitions.logProbabilities.withUnsafeBufferPointer { logProbabilities in
                    densityColumns.withUnsafeBufferPointer { columns in
                        branchSlots.withUnsafeBufferPointer { branchSlots in
                            // Plain pointers and while loops: the debug build runs the parity
                            // tests several times faster than with ranges and buffer subscripts.
                            let rowStarts = rowStarts.baseAddress!
                            let predecessors = predecessors.baseAddress!
                            let logProbabilities = logProbabilities.baseAddress!
                            let columns = columns.baseAddress!
                            let branchSlots = branchSlots.baseAddress!
                            let previous = previous.baseAddress!
                            let current = current.baseAddress!
                            let stateCount = transitions.stateCount
                            var state = 0
                            while state < stateCount {
                                let density = densities[columns[state]]
                                var best = -Double.infinity
                                var bestPredecessor: Int32 = 0
                                var entry = rowStarts[state]
                                let end = rowStarts[state + 1]
                                while entry < end {
                                    let predecessor = predecessors[entry]
                                    let score =
                                        previous[Int(predecessor)] + logProbabilities[entry]
                                        + density
                                    if score > best {
                                        best = score
                                        bestPredecessor = predecessor
                                    }
                                    entry += 1
                                }
                                current[state] = best
                                let slot = branchSlots[state]
                                if slot >= 0 { backPointers[slot] = bestPredecessor }
                                state += 1
                            }
                        }
                    }
                }
            }
        }
    }
}
