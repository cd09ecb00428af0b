/// What a beat-tracking probe trains on in each epoch (probe-spec §2.2).
public enum BeatTrainingInput: Sendable, Hashable, Codable, CustomStringConvertible {
    /// One random crop of this many seconds per item and epoch, drawn from the trainer's seeded
    /// generator; items shorter than that are used whole. MARBLE trains on random 10-s crops.
    case randomCrops(seconds: Double)
    /// Every frame of every item.
    case wholeItems

    /// MARBLE's 10-s crops.
    public static let marble = BeatTrainingInput.randomCrops(seconds: 10)

    /// `crop10.0s` or `whole`, for fingerprints.
    public var description: String {
        switch self {
        case .randomCrops(let seconds): "crop\(seconds)s"
        case .wholeItems: "whole"
        }
    }
}
