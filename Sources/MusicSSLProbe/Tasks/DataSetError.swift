/// A data set that cannot be read as its task expects: the file (or folder) and what was
/// expected there.
///
/// Messages read `[gtzan-genre] /data/GTZAN/train_filtered.txt:12: blues/blues.00099.wav does
/// not exist` or `[mtt] /data/MTT/annotations_final.csv: missing, expected MagnaTagATune's
/// tab-separated tag table`.
public struct DataSetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The task whose loader refused.
    public var task: String
    /// The file or folder, with `:line` where a line is at fault.
    public var location: String
    /// What was wrong and what was expected.
    public var problem: String

    /// Creates an error.
    public init(task: String, location: String, problem: String) {
        self.task = task
        self.location = location
        self.problem = problem
    }

    /// `[<task>] <location>: <problem>`.
    public var description: String { "[\(task)] \(location): \(problem)" }
}
