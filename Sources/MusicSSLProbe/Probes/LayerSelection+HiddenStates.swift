extension LayerSelection {
    /// The hidden states this selection reads from features with `hiddenStateCount` of them
    /// (L + 1: the Transformer's input and its L block outputs), always a contiguous range:
    /// `.single(k)` is `k..<k+1`, `.all` is `1..<L+1` (MARBLE's `feature[1:]`, probe-spec Q3),
    /// `all+0` is `0..<L+1`.
    ///
    /// - Throws: ``ProbeError/layerOutOfRange(layer:hiddenStateCount:)`` when a single layer is
    ///   past the last hidden state, or a weighted sum would have no layer.
    public func hiddenStates(outOf hiddenStateCount: Int) throws -> Range<Int> {
        let range: Range<Int>
        switch self {
        case .single(let layer): range = layer..<(layer + 1)
        case .weightedSum(let includesLayer0): range = (includesLayer0 ? 0 : 1)..<hiddenStateCount
        }
        guard !range.isEmpty, range.lowerBound >= 0, range.upperBound <= hiddenStateCount else {
            throw ProbeError.layerOutOfRange(layer: self, hiddenStateCount: hiddenStateCount)
        }
        return range
    }

    /// MARBLE's sweep over layers: `.all` first, then every single hidden state 0…L
    /// (`exp_scripts/probe/probe_m2v.sh` sweeps `all, 12, 11, …, 0`; the order does not change
    /// the selection). Features with a single hidden state (a baseline such as
    /// ``MFCCStatisticsFeatures``) have no layers 1…L to weigh, so only `.single(0)`.
    public static func marbleSweep(hiddenStateCount: Int) -> [LayerSelection] {
        let singles = (0..<hiddenStateCount).map { LayerSelection.single($0) }
        return hiddenStateCount > 1 ? [.all] + singles : singles
    }
}
