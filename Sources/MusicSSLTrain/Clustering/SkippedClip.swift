/// An audio file of a corpus that could not be used for k-means fitting or labelling, and why.
public struct SkippedClip: Equatable, Sendable, CustomStringConvertible {
    /// The file's path as the corpus lists it.
    public let path: String
    /// The error, in words.
    public let reason: String

    /// Creates a record.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `<path>: <reason>`, or the reason alone when it already names the file.
    public var description: String {
        reason.contains(path) ? reason : "\(path): \(reason)"
    }
}
