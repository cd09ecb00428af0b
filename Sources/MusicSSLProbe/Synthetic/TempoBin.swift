/// The classes of the synthetic `tempo` task: six 20-bpm bins over 60–180 bpm, the last closed.
public enum TempoBin: Int, CaseIterable, Sendable {
    /// 60 ≤ bpm < 80.
    case bpm60
    /// 80 ≤ bpm < 100.
    case bpm80
    /// 100 ≤ bpm < 120.
    case bpm100
    /// 120 ≤ bpm < 140.
    case bpm120
    /// 140 ≤ bpm < 160.
    case bpm140
    /// 160 ≤ bpm ≤ 180.
    case bpm160

    /// The lowest tempo, 60 bpm, and the highest, 180 bpm, of any synthetic clip with a beat.
    public static let tempoRange = 60.0...180.0

    /// The bin's tempi in bpm.
    public var range: ClosedRange<Double> {
        let low = 60 + 20 * Double(rawValue)
        return low...(low + 20)
    }

    /// The label, zero-padded bounds: `060-079`, `080-099`, … `160-180`.
    public var name: String {
        let low = Int(range.lowerBound)
        let high = self == .bpm160 ? 180 : low + 19
        return SyntheticPitchRange.label(of: low) + "-" + SyntheticPitchRange.label(of: high)
    }

    /// The bin holding `bpm`; nil outside 60–180.
    public init?(bpm: Double) {
        guard Self.tempoRange.contains(bpm) else { return nil }
        self.init(rawValue: min(5, Int((bpm - 60) / 20)))
    }
}
