/// One pair of a maximum matching between reference and estimated events.
public struct EventMatch: Hashable, Sendable {
    /// Index into the reference events.
    public let reference: Int
    /// Index into the estimated events.
    public let estimated: Int

    /// Creates the pair of reference event `reference` and estimated event `estimated`.
    public init(reference: Int, estimated: Int) {
        self.reference = reference
        self.estimated = estimated
    }
}

/// The largest one-to-one pairing of reference and estimated event times within a tolerance
/// window: `mir_eval.util.match_events`, on which beat, onset and boundary F-measures rest.
public enum EventMatching {
    /// A maximum matching of `estimated` to `reference` events: the most pairs such that each
    /// event is used at most once and the two times of a pair are within `window` seconds.
    ///
    /// As in mir_eval's `_fast_hit_windows`, reference `r` and estimate `e` may pair when
    /// `r >= e - window` and `r <= e + window`, both bounds computed in `Double` — at an exact
    /// boundary this can differ from `abs(r - e) <= window` by one rounding, and it is what
    /// mir_eval scores. The matching is found with Hopcroft–Karp (mir_eval uses Eppstein's
    /// version of the same algorithm), so its size is the maximum; when several maximum
    /// matchings exist, the pairs chosen may differ from mir_eval's, their number never does.
    /// Event lists need not be sorted.
    ///
    /// - Returns: The pairs, sorted by reference index.
    /// - Throws: ``MetricError`` when `window` is negative or not finite, or a time is not finite.
    public static func maximumMatching(
        reference: [Double], estimated: [Double], window: Double
    ) throws -> [EventMatch] {
        let metric = "event-matching"
        guard window.isFinite, window >= 0 else {
            throw MetricError(
                metric, .invalidArgument("the window must be finite and ≥ 0 s, got \(window)"))
        }
        for (what, times) in [("reference", reference), ("estimated", estimated)] {
            if let index = times.firstIndex(where: { !$0.isFinite }) {
                throw MetricError(metric, .nonFinite("\(what) time \(index)", value: times[index]))
            }
        }
        let adjacency = candidates(reference: reference, estimated: estimated, window: window)
        let partners = maximumBipartiteMatching(adjacency: adjacency, rightCount: reference.count)
        return partners.enumerated().compactMap { estimatedIndex, referenceIndex in
            referenceIndex.map { EventMatch(reference: $0, estimated: estimatedIndex) }
        }.sorted { $0.reference < $1.reference }
    }

    /// For each estimated event, the reference events within the window: binary search in the
    /// references sorted by time, as mir_eval's `_fast_hit_windows`.
    static func candidates(reference: [Double], estimated: [Double], window: Double) -> [[Int]] {
        let order = reference.indices.sorted { reference[$0] < reference[$1] }
        let sorted = order.map { reference[$0] }
        /// The first position whose time is not below (or, `orEqual`, is above) `bound`.
        func position(of bound: Double, after orEqual: Bool) -> Int {
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle] < bound || (orEqual && sorted[middle] == bound) {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            return low
        }
        return estimated.map { time in
            let start = position(of: time - window, after: false)
            let end = position(of: time + window, after: true)
            return start < end ? Array(order[start..<end]) : []
        }
    }

    /// A maximum-cardinality matching of a bipartite graph by Hopcroft–Karp: phases of a
    /// breadth-first layering from the free left vertices, then vertex-disjoint shortest
    /// augmenting paths found by depth-first search (iterative, so long alternating chains of
    /// beats cannot exhaust a thread's stack).
    ///
    /// - Parameters:
    ///   - adjacency: For each left vertex, its right neighbours in `0..<rightCount`.
    ///   - rightCount: Number of right vertices.
    /// - Returns: For each left vertex, its matched right vertex or nil.
    static func maximumBipartiteMatching(adjacency: [[Int]], rightCount: Int) -> [Int?] {
        let leftCount = adjacency.count
        let unreached = Int.max
        var leftPartner = [Int](repeating: -1, count: leftCount)
        var rightPartner = [Int](repeating: -1, count: rightCount)
        var layer = [Int](repeating: unreached, count: leftCount)
        var nextArc = [Int](repeating: 0, count: leftCount)

        // Layers left vertices by alternating-path distance from a free one; true when a free
        // right vertex is reachable (an augmenting path exists).
        func buildLayers() -> Bool {
            var queue: [Int] = []
            for left in 0..<leftCount {
                layer[left] = leftPartner[left] == -1 ? 0 : unreached
                if leftPartner[left] == -1 { queue.append(left) }
            }
            var reachesFree = false
            var head = 0
            while head < queue.count {
                let left = queue[head]
                head += 1
                for right in adjacency[left] {
                    let partner = rightPartner[right]
                    if partner == -1 {
                        reachesFree = true
                    } else if layer[partner] == unreached {
                        layer[partner] = layer[left] + 1
                        queue.append(partner)
                    }
                }
            }
            return reachesFree
        }

        // Searches an augmenting path from the free left vertex `root` along the layers and, if
        // one is found, flips it.
        func augment(from root: Int) -> Bool {
            var path = [root]
            while let left = path.last {
                guard nextArc[left] < adjacency[left].count else {
                    layer[left] = unreached  // dead end for the rest of this phase
                    path.removeLast()
                    continue
                }
                let right = adjacency[left][nextArc[left]]
                nextArc[left] += 1
                let partner = rightPartner[right]
                if partner == -1 {
                    // Each vertex on the path takes the right vertex its last arc led to.
                    for vertex in path {
                        let taken = adjacency[vertex][nextArc[vertex] - 1]
                        leftPartner[vertex] = taken
                        rightPartner[taken] = vertex
                    }
                    return true
                }
                if layer[partner] != unreached && layer[partner] == layer[left] + 1 {
                    path.append(partner)
                }
            }
            return false
        }

        while buildLayers() {
            nextArc = [Int](repeating: 0, count: leftCount)
            var augmented = false
            for left in 0..<leftCount where leftPartner[left] == -1 {
                if augment(from: left) { augmented = true }
            }
            if !augmented { break }
        }
        return leftPartner.map { $0 == -1 ? nil : $0 }
    }
}
