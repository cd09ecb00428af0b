/// Why the feature cache refused a request.
public enum FeatureCacheError: Error, Equatable, CustomStringConvertible {
    /// An item id that is empty, absolute, or climbs out of the cache folder.
    case invalidItemID(String)
    /// Features whose shape does not fit the cache's header.
    case shapeMismatch(item: String, shape: [Int], expected: String)
    /// Extraction settings that cannot work.
    case invalidSettings(String)
    /// An item's features are not in the cache when they should be (removed or damaged after
    /// extraction): the item and what was found.
    case unavailable(item: String, reason: String)

    public var description: String {
        switch self {
        case .invalidItemID(let id):
            return
                "[feature cache] item id \"\(id)\" must be a relative path without . or .. components"
        case .shapeMismatch(let item, let shape, let expected):
            return "[feature cache] \(item): features of shape \(shape), expected \(expected)"
        case .invalidSettings(let reason):
            return "[feature cache] \(reason)"
        case .unavailable(let item, let reason):
            return "[feature cache] \(item): no usable cached features (\(reason)); run again to extract them"
        }
    }
}
