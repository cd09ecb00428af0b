/// A stretch of an audio file, in seconds from its start: a 30-s clip of a GiantSteps preview,
/// a 3-s chunk of a VocalSet recording.
public struct AudioRegion: Sendable, Equatable, Hashable, Codable {
    /// Start, in seconds from the beginning of the file.
    public var startSeconds: Double
    /// Length in seconds; the region ends at the file's end when it is longer.
    public var durationSeconds: Double

    /// A region of `durationSeconds` from `startSeconds`.
    public init(startSeconds: Double, durationSeconds: Double) {
        self.startSeconds = startSeconds
        self.durationSeconds = durationSeconds
    }
}
