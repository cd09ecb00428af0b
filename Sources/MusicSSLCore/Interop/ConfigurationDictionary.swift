import Foundation

/// Typed, checked reads from a JSON- or pickle-decoded configuration dictionary.
///
/// Every failure names the source and the key, so a user sees which field of which file is at
/// fault. Integers are accepted where floats are expected (JSON writes `0` for `0.0`).
struct ConfigurationDictionary {
    /// The values, as `JSONSerialization` or the pickle reader returns them.
    let values: [String: Any]
    /// The file or description named in errors.
    let source: String

    private func failure(_ key: String, _ reason: String) -> EncoderCheckpointError {
        .invalidConfiguration(source: source, key: key, reason: reason)
    }

    func contains(_ key: String) -> Bool {
        guard let value = values[key] else { return false }
        return !(value is NSNull)
    }

    func integer(_ key: String, default fallback: Int? = nil) throws -> Int {
        guard contains(key) else {
            guard let fallback else { throw failure(key, "missing") }
            return fallback
        }
        return try Self.integer(values[key] ?? NSNull())
            ?? { throw failure(key, "expected an integer, got \(values[key] ?? "nothing")") }()
    }

    func float(_ key: String, default fallback: Float) throws -> Float {
        guard contains(key) else { return fallback }
        if !Self.isBoolean(values[key] ?? NSNull()), let value = values[key] as? Double,
            value.isFinite
        {
            return Float(value)
        }
        if let value = try Self.integer(values[key] ?? NSNull()) { return Float(value) }
        throw failure(key, "expected a number, got \(values[key] ?? "nothing")")
    }

    func boolean(_ key: String, default fallback: Bool) throws -> Bool {
        guard contains(key) else { return fallback }
        if Self.isBoolean(values[key] ?? NSNull()), let value = values[key] as? Bool {
            return value
        }
        throw failure(key, "expected true or false, got \(values[key] ?? "nothing")")
    }

    func string(_ key: String, default fallback: String? = nil) throws -> String {
        guard contains(key) else {
            guard let fallback else { throw failure(key, "missing") }
            return fallback
        }
        guard let value = values[key] as? String else {
            throw failure(key, "expected a string, got \(values[key] ?? "nothing")")
        }
        return value
    }

    func integers(_ key: String, default fallback: [Int]) throws -> [Int] {
        guard contains(key) else { return fallback }
        guard let items = values[key] as? [Any] else {
            throw failure(key, "expected a list of integers")
        }
        return try items.map { item in
            try Self.integer(item)
                ?? { throw failure(key, "expected a list of integers, found \(item)") }()
        }
    }

    /// Throws unless `key` is absent or equal to `expected`, explaining why with `reason`.
    func require(_ key: String, equals expected: String, because reason: String) throws {
        let value = try string(key, default: expected)
        guard value == expected else {
            throw failure(key, "'\(value)' is not supported (\(reason))")
        }
    }

    /// Throws unless `key` is absent or equal to `expected`, explaining why with `reason`.
    func require(_ key: String, equals expected: Bool, because reason: String) throws {
        let value = try boolean(key, default: expected)
        guard value == expected else { throw failure(key, "\(value) is not supported (\(reason))") }
    }

    func invalid(_ key: String, _ reason: String) -> EncoderCheckpointError { failure(key, reason) }

    /// An exact integer from a JSON or pickle number; nil for fractions, booleans and non-numbers.
    private static func integer(_ value: Any) throws -> Int? {
        if isBoolean(value) { return nil }
        if let value = value as? Int { return value }
        if let value = value as? Double, value.rounded() == value, abs(value) < 1e15 {
            return Int(value)
        }
        return nil
    }

    /// True for Swift booleans and JSON `true`/`false`: Foundation on Linux bridges NSNumber
    /// 0 and 1 to `Bool` too, so the dynamic type tells them apart, not a cast.
    private static func isBoolean(_ value: Any) -> Bool {
        let typeName = String(describing: type(of: value))
        return typeName == "Bool" || typeName.contains("Boolean")
    }
}
