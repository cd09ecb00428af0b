import Foundation

/// The beat-tracking HMM's states (Krebs, Böck & Widmer, ISMIR 2015): one chain of k states per
/// modelled beat interval of k frames, the state's position within the beat running
/// 0, 1/k, …, (k−1)/k. Port of madmom's `BeatStateSpace`.
struct BeatStateSpace: Sendable {
    /// The modelled beat intervals in frames, ascending and distinct.
    let intervals: [Int]
    /// The first state of each interval's chain (position 0).
    let firstStates: [Int]
    /// The last state of each interval's chain (position (k−1)/k).
    let lastStates: [Int]
    /// Each state's position within the beat, in [0, 1).
    let statePositions: [Double]

    /// The number of states, the sum of the intervals.
    var stateCount: Int { statePositions.count }

    /// The states for beat intervals between `minimumInterval` and `maximumInterval` frames.
    ///
    /// - Parameters:
    ///   - minimumInterval: The shortest interval in frames (60·fps / max_bpm), not rounded.
    ///   - maximumInterval: The longest interval in frames (60·fps / min_bpm), not rounded.
    ///   - intervalCount: madmom's `num_intervals`: nil for every whole interval from
    ///     round(minimum) to round(maximum); a smaller count for log-spaced intervals.
    init(minimumInterval: Double, maximumInterval: Double, intervalCount: Int?) {
        // np.arange(np.round(min), np.round(max) + 1); np.round rounds half to even.
        let shortest = Int(minimumInterval.rounded(.toNearestOrEven))
        let longest = Int(maximumInterval.rounded(.toNearestOrEven))
        var intervals = shortest <= longest ? Array(shortest...longest) : []
        if let intervalCount, intervalCount < intervals.count {
            intervals = Self.logSpacedIntervals(
                minimumInterval: minimumInterval, maximumInterval: maximumInterval,
                count: intervalCount)
        }
        self.init(intervals: intervals)
    }

    /// The chains for the given intervals (each ≥ 1 frame), in the given order.
    init(intervals: [Int]) {
        self.intervals = intervals
        var firstStates: [Int] = []
        var lastStates: [Int] = []
        var positions: [Double] = []
        positions.reserveCapacity(intervals.reduce(0, +))
        for interval in intervals {
            firstStates.append(positions.count)
            // np.linspace(0, 1, k, endpoint=False) is arange(k) * (1 / k).
            let step = 1 / Double(interval)
            for index in 0..<interval { positions.append(Double(index) * step) }
            lastStates.append(positions.count - 1)
        }
        self.firstStates = firstStates
        self.lastStates = lastStates
        self.statePositions = positions
    }

    /// madmom's log spacing: `np.unique(np.round(np.logspace(log2(min), log2(max), n,
    /// base=2)))` for n = `count`, `count` + 1, … until at least `count` distinct intervals.
    static func logSpacedIntervals(
        minimumInterval: Double, maximumInterval: Double, count: Int
    ) -> [Int] {
        let start = log2(minimumInterval)
        let stop = log2(maximumInterval)
        var pointCount = count
        while true {
            let exponents = linearlySpaced(from: start, to: stop, count: pointCount)
            let rounded = exponents.map { pow(2, $0).rounded(.toNearestOrEven) }
            let intervals = Array(Set(rounded.map { Int($0) })).sorted()
            if intervals.count >= count { return intervals }
            pointCount += 1
        }
    }

    /// NumPy's `linspace(start, stop, count)` with its endpoint: `arange(count) * step + start`
    /// with step = (stop − start) / (count − 1), the last value set to `stop` exactly.
    static func linearlySpaced(from start: Double, to stop: Double, count: Int) -> [Double] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let delta = stop - start
        let divisor = Double(count - 1)
        let step = delta / divisor
        var values = (0..<count).map { index in
            // NumPy divides first when the step underflows to zero.
            step == 0 ? Double(index) / divisor * delta + start : Double(index) * step + start
        }
        values[count - 1] = stop
        return values
    }
}
