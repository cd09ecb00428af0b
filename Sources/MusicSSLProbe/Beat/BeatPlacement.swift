extension DBNBeatDecoder.BeatPlacement {
    /// The beat frames (indices into `activations`) read from a Viterbi path over them, as
    /// madmom's `DBNBeatTrackingProcessor.process_offline` reads them.
    ///
    /// - Parameters:
    ///   - path: One state per frame of `activations`; empty when no path was possible.
    ///   - isBeatState: Whether each state is in the first 1/λ of its beat.
    ///   - statePositions: Each state's position within the beat.
    func beatFrames(
        path: [Int], activations: ArraySlice<Float>, isBeatState: [Bool], statePositions: [Double]
    ) -> [Int] {
        switch self {
        case .activationPeak:
            return activationPeaks(path: path, activations: activations, isBeatState: isBeatState)
        case .positionMinimum:
            return positionMinima(
                path: path, isBeatState: isBeatState, statePositions: statePositions)
        }
    }

    /// For each maximal run of beat states in the path, the frame of its highest activation,
    /// the first one on ties (`np.argmax(activations[left:right]) + left`).
    private func activationPeaks(
        path: [Int], activations: ArraySlice<Float>, isBeatState: [Bool]
    ) -> [Int] {
        let offset = activations.startIndex
        var beats: [Int] = []
        var frame = 0
        while frame < path.count {
            guard isBeatState[path[frame]] else {
                frame += 1
                continue
            }
            var peak = frame
            var end = frame + 1
            while end < path.count, isBeatState[path[end]] {
                if activations[offset + end] > activations[offset + peak] { peak = end }
                end += 1
            }
            beats.append(peak)
            frame = end
        }
        return beats
    }

    /// The frames whose position is below both neighbours' (SciPy's
    /// `argrelmin(positions, mode='wrap')`), kept where the state is a beat state.
    private func positionMinima(
        path: [Int], isBeatState: [Bool], statePositions: [Double]
    ) -> [Int] {
        let positions = path.map { statePositions[$0] }
        let count = positions.count
        return (0..<count).filter { frame in
            let position = positions[frame]
            return position < positions[(frame + 1) % count]
                && position < positions[(frame + count - 1) % count]
                && isBeatState[path[frame]]
        }
    }
}
