/// Why a ``DBNBeatDecoder`` could not be built or could not decode an activation sequence.
///
/// Messages start with `[DBN beat decoder]` and name the parameter or the frame involved.
public enum BeatDecodingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The frame rate is zero, negative or not finite.
    case invalidFrameRate(Double)
    /// The tempo range is empty, not positive or not finite (`min_bpm` must be below `max_bpm`).
    case invalidTempoRange(minimum: Double, maximum: Double)
    /// The shortest or longest beat interval rounds to fewer than one frame.
    case intervalTooShort(frames: Double)
    /// Another parameter is out of range; the sentence names it and its value.
    case invalidArgument(String)
    /// An activation is NaN or infinite; the frame (0-based) of the first.
    case nonFiniteActivation(frame: Int)
    /// An activation lies outside [0, 1], where its logarithm or that of its complement is
    /// undefined; the frame (0-based) and value of the first.
    case activationOutOfRange(frame: Int, value: Float)

    /// `[DBN beat decoder] <what went wrong>`.
    public var description: String {
        let prefix = "[DBN beat decoder]"
        switch self {
        case .invalidFrameRate(let rate):
            return "\(prefix) fps must be positive and finite, got \(rate)"
        case .invalidTempoRange(let minimum, let maximum):
            return "\(prefix) min_bpm must be positive and below max_bpm, got min_bpm \(minimum) "
                + "and max_bpm \(maximum)"
        case .intervalTooShort(let frames):
            return "\(prefix) the shortest beat interval is \(frames) frames, which rounds to "
                + "fewer than one; lower max_bpm or raise fps"
        case .invalidArgument(let message):
            return "\(prefix) \(message)"
        case .nonFiniteActivation(let frame):
            return "\(prefix) activation at frame \(frame) is NaN or infinite"
        case .activationOutOfRange(let frame, let value):
            return "\(prefix) activation at frame \(frame) is \(value), outside [0, 1]"
        }
    }
}
