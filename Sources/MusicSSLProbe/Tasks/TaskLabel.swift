/// The annotation of one item, matching its task's ``TaskKind``.
public enum TaskLabel: Sendable, Equatable, Codable {
    /// A class index into ``TaskKind/singleLabel(classes:)``.
    case classIndex(Int)
    /// The indices of the tags the item carries, ascending, into ``TaskKind/multiLabel(tags:)``
    /// (empty when it carries none).
    case tags([Int])
    /// One value per output of ``TaskKind/regression(outputs:)``.
    case values([Double])
    /// Annotated beat times in seconds, ascending, from the start of the item's audio (its
    /// region's start when it has one).
    case beats([Double])
}
