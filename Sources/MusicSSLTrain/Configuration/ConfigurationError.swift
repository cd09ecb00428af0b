/// Why a pre-training configuration was refused; each case names the key.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// The YAML could not be parsed.
    case malformed(source: String, reason: String)
    /// A key that no section has, with the keys that are valid there.
    case unknownKey(String, validKeys: [String])
    /// A value of the wrong type or outside its range.
    case invalidValue(key: String, value: String, expected: String)
    /// A `--set` argument that is not `key=value`.
    case malformedOverride(String)

    public var description: String {
        switch self {
        case .malformed(let source, let reason):
            return "\(source): not a valid configuration: \(reason)"
        case .unknownKey(let key, let valid):
            return "unknown configuration key \"\(key)\"; valid keys here: \(valid.joined(separator: ", "))"
        case .invalidValue(let key, let value, let expected):
            return "\(key) = \(value) is invalid: expected \(expected)"
        case .malformedOverride(let text):
            return "--set \"\(text)\" is not key=value (e.g. --set masking.probability=0.5)"
        }
    }
}
