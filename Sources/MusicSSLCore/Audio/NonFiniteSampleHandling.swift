/// What a decoder does with a NaN or infinite sample.
public enum NonFiniteSampleHandling: Sendable {
    /// Throw ``AudioError/Reason/nonFiniteSample(frame:)`` naming the first such frame.
    case reject
    /// Replace each such mono sample with zero.
    case replaceWithZero
}
