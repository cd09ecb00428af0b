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

    /// What the recursion needs to know about one destination state.
    private struct Row {
        /// Its predecessors are `entries[firstEntry..<endEntry]`.
        var firstEntry: Int
        var endEntry: Int
        /// The log-density column it is observed through.
        var densityColumn: Int
        /// Its back-pointer column, or −1 when it has at most one predecessor.
        var branchSlot: Int
    }

    /// One transition into a row's state.
    private struct Entry {
        var predecessor: Int32
        var logProbability: Double
    }

    /// The transitions, by destination.
    let transitions: SparseTransitions
    /// The number of log densities per frame.
    let densityColumnCount: Int
    private let rows: [Row]
    private let entries: [Entry]
    /// The number of states with several predecessors, which keep back-pointers.
    private let branchCount: Int

    /// A decoder for `transitions`, state s observed through column `densityColumns[s]` of
    /// `densityColumnCount` log densities per frame.
    init(transitions: SparseTransitions, densityColumns: [Int], densityColumnCount: Int) {
        self.transitions = transitions
        self.densityColumnCount = densityColumnCount
        var rows: [Row] = []
        var branchCount = 0
        for state in 0..<transitions.stateCount {
            let first = transitions.rowStarts[state]
            let end = transitions.rowStarts[state + 1]
            rows.append(
                Row(
                    firstEntry: first, endEntry: end, densityColumn: densityColumns[state],
                    branchSlot: end - first > 1 ? branchCount : -1))
            if end - first > 1 { branchCount += 1 }
        }
        self.rows = rows
        self.branchCount = branchCount
        entries = zip(transitions.predecessors, transitions.logProbabilities).map {
            Entry(predecessor: $0, logProbability: $1)
        }
    }

    /// The best path for `logDensities`, flattened `[frames, densityColumnCount]`.
    ///
    /// For each frame and state the score is the maximum over predecessors of
    /// (previous score + transition log probability) + observation log density, the first
    /// predecessor winning ties; the path ends in the first state of highest score (NumPy's
    /// `argmax`). Only states with several predecessors keep back-pointers, one per frame, so
    /// memory grows with frames × tempi rather than frames × states.
    func bestPath(logDensities: [Double]) -> Path {
        let frameCount = logDensities.count / densityColumnCount
        let stateCount = rows.count
        guard frameCount > 0, stateCount > 0 else {
            return Path(states: [], logProbability: frameCount > 0 ? -.infinity : 0)
        }
        var backPointers = [Int32](repeating: 0, count: frameCount * branchCount)
        // Two score vectors, previous and current, alternating halves frame by frame.
        var scores = [Double](repeating: log(1 / Double(stateCount)), count: 2 * stateCount)
        forward(logDensities: logDensities, scores: &scores, backPointers: &backPointers)
        let final = frameCount % 2 == 0 ? scores[..<stateCount] : scores[stateCount...]
        var last = final.startIndex
        for index in final.indices where final[index] > final[last] { last = index }
        let logProbability = final[last]
        // madmom warns and returns an empty path when the best score is −∞.
        guard logProbability > -.infinity else {
            return Path(states: [], logProbability: logProbability)
        }
        var states = [Int](repeating: 0, count: frameCount)
        var state = last - final.startIndex
        for frame in stride(from: frameCount - 1, through: 0, by: -1) {
            states[frame] = state
            // A state of finite score has a predecessor; the one read at frame 0 stands for the
            // initial distribution and is not used.
            let row = rows[state]
            if row.branchSlot >= 0 {
                state = Int(backPointers[frame * branchCount + row.branchSlot])
            } else if row.firstEntry < row.endEntry {
                state = Int(entries[row.firstEntry].predecessor)
            }
        }
        return Path(states: states, logProbability: logProbability)
    }

    /// The recursion over all frames: `current[s]` = max over predecessors p of
    /// (`previous[p]` + log P(s | p)) + density of s, in madmom's order of operations, the
    /// arg-max predecessor of each branching state stored per frame.
    private func forward(
        logDensities: [Double], scores: inout [Double], backPointers: inout [Int32]
    ) {
        let stateCount = rows.count
        let frameCount = logDensities.count / densityColumnCount
        // Plain pointers and while loops: debug builds run several times faster than with
        // ranges and buffer subscripts, which keeps the parity tests short.
        rows.withUnsafeBufferPointer { rows in
            entries.withUnsafeBufferPointer { entries in
                logDensities.withUnsafeBufferPointer { logDensities in
                    scores.withUnsafeMutableBufferPointer { scores in
                        backPointers.withUnsafeMutableBufferPointer { backPointers in
                            guard let rows = rows.baseAddress, let entries = entries.baseAddress,
                                let densities = logDensities.baseAddress,
                                let scores = scores.baseAddress
                            else { return }
                            for frame in 0..<frameCount {
                                let previous = scores + (frame % 2) * stateCount
                                let current = scores + (1 - frame % 2) * stateCount
                                let frameDensities = densities + frame * densityColumnCount
                                let pointers = backPointers.baseAddress.map {
                                    $0 + frame * branchCount
                                }
                                var state = 0
                                while state < stateCount {
                                    let row = rows[state]
                                    let density = frameDensities[row.densityColumn]
                                    var best = -Double.infinity
                                    var bestPredecessor: Int32 = 0
                                    var entry = row.firstEntry
                                    while entry < row.endEntry {
                                        let transition = entries[entry]
                                        let score =
                                            previous[Int(transition.predecessor)]
                                            + transition.logProbability + density
                                        if score > best {
                                            best = score
                                            bestPredecessor = transition.predecessor
                                        }
                                        entry += 1
                                    }
                                    current[state] = best
                                    if row.branchSlot >= 0 {
                                        pointers?[row.branchSlot] = bestPredecessor
                                    }
                                    state += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
