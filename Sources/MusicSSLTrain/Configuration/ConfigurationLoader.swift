import Foundation
import Yams

/// Reads a ``PretrainingConfiguration`` from YAML and `--set key=value` overrides.
///
/// The objective's defaults come first, the file's keys over them, then the overrides (each
/// value is read as YAML, so `0.5`, `true` and `tri_stage` have their natural types). A key
/// that no section has is refused with the section's valid keys; a value of the wrong type is
/// refused naming its key; then ``PretrainingConfiguration/validate()`` checks ranges. The
/// file is only data: nothing in it is executed or looked up.
///
/// ```swift
/// let configuration = try ConfigurationLoader.load(
///     contentsOf: URL(fileURLWithPath: "Examples/configs/music2vec-tiny.yaml"),
///     overrides: ["masking.probability=0.5", "data2vec.target_layers=4"])
/// ```
public enum ConfigurationLoader {
    /// Keys whose default is "not set" (absent from the encoded defaults).
    static let optionalKeys = [
        "data.corpus", "data.labels", "model.layers", "model.dimensions", "model.heads",
        "model.feed_forward_dimensions", "model.convolution_channels",
    ]

    /// Loads the file at `url` (or only defaults and overrides when `nil`).
    public static func load(contentsOf url: URL?, overrides: [String] = []) throws -> PretrainingConfiguration {
        guard let url else { return try load(yaml: "", source: "defaults", overrides: overrides) }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ConfigurationError.malformed(source: url.path, reason: "cannot be read as UTF-8 text (\(error.localizedDescription))")
        }
        return try load(yaml: text, source: url.path, overrides: overrides)
    }

    /// Loads configuration text; `source` names it in errors.
    public static func load(yaml: String, source: String, overrides: [String] = []) throws -> PretrainingConfiguration {
        let file = try parseDocument(yaml, source: source)
        let parsedOverrides = try overrides.map(parseOverride)
        let objectiveName = parsedOverrides.last(where: { $0.path == ["objective"] })?.value
            ?? file["objective"] ?? PretrainingConfiguration.Objective.musichubert.rawValue
        guard let objectiveText = objectiveName as? String,
              let objective = PretrainingConfiguration.Objective(rawValue: objectiveText)
        else {
            throw ConfigurationError.invalidValue(
                key: "objective", value: "\(objectiveName)",
                expected: PretrainingConfiguration.Objective.allCases.map(\.rawValue).joined(separator: " or "))
        }
        var merged = try dictionary(of: .defaults(for: objective))
        try merge(file, into: &merged, path: [])
        for override in parsedOverrides { try set(override.value, at: override.path, in: &merged) }
        let configuration = try decode(merged)
        try configuration.validate()
        return configuration
    }

    /// The configuration as YAML with every key (what a run directory keeps as `config.yaml`).
    public static func yaml(for configuration: PretrainingConfiguration) throws -> String {
        try Yams.serialize(node: node(native(dictionary(of: configuration))), sortKeys: true)
    }

    /// A YAML node of a configuration value; numbers as Swift prints them (`0.8`, `0.0005`),
    /// where Yams would write `8e-1`.
    private static func node(_ value: Any) -> Node {
        switch value {
        case let mapping as [String: Any]:
            return Node.mapping(Node.Mapping(mapping.map { (Node($0.key), node($0.value)) }))
        case let flag as Bool:
            return Node(flag ? "true" : "false", Tag(.bool))
        case let number as Double:
            return Node("\(number)", Tag(.float))
        case let number as Int64:
            return Node("\(number)", Tag(.int))
        case is NSNull:
            return Node("null", Tag(.null))
        default:
            // Quoted where YAML would read the plain text as something else (`123`, `true`).
            let text = "\(value)"
            let plain = (try? loadYAML(text)).flatMap { $0 as? String } == text
            return Node(text, Tag(.str), plain ? .any : .singleQuoted)
        }
    }

    // MARK: - Steps

    private static func parseDocument(_ yaml: String, source: String) throws -> [String: Any] {
        let loaded: Any?
        do {
            loaded = try loadYAML(yaml)
        } catch {
            throw ConfigurationError.malformed(source: source, reason: "\(error)")
        }
        guard let loaded else { return [:] }
        guard let mapping = loaded as? [String: Any] else {
            throw ConfigurationError.malformed(source: source, reason: "the document must be a mapping of sections")
        }
        return mapping
    }

    /// `Yams.load(yaml:)`, refusing a mapping key that is a sequence or a mapping (`? [a]: 1`,
    /// `{[a]: 1}`): Yams 6 constructs every key as a String with a force-unwrap and traps on
    /// such a key (found by fuzzing, Fuzz/README.md).
    static func loadYAML(_ text: String) throws -> Any? {
        guard let root = try Yams.compose(yaml: text) else { return nil }
        var pending = [root]
        while let node = pending.popLast() {
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    guard case .scalar = key else { throw NonScalarKey(line: key.mark?.line) }
                    pending.append(value)
                }
            case .sequence(let sequence):
                pending.append(contentsOf: sequence)
            default:
                break
            }
        }
        return root.any
    }

    /// A mapping key that is not a scalar; the text names the line.
    private struct NonScalarKey: Error, CustomStringConvertible {
        let line: Int?
        var description: String {
            (line.map { "line \($0): " } ?? "") + "a mapping key must be a plain value, not a sequence or mapping"
        }
    }

    private static func parseOverride(_ text: String) throws -> (path: [String], value: Any) {
        guard let equals = text.firstIndex(of: "=") else { throw ConfigurationError.malformedOverride(text) }
        let key = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !key.isEmpty, path.allSatisfy({ !$0.isEmpty }) else { throw ConfigurationError.malformedOverride(text) }
        let raw = String(text[text.index(after: equals)...])
        let value = (try? loadYAML(raw)).flatMap { $0 } ?? raw
        return (path, value)
    }

    private static func dictionary(of configuration: PretrainingConfiguration) throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(configuration)
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        for key in optionalKeys {
            let path = key.split(separator: ".").map(String.init)
            if var section = object[path[0]] as? [String: Any], section[path[1]] == nil {
                section[path[1]] = NSNull()
                object[path[0]] = section
            }
        }
        return object
    }

    /// Foundation's JSON numbers as Swift values (Yams would write a Boolean NSNumber as 1.0).
    private static func native(_ value: Any) -> Any {
        if let mapping = value as? [String: Any] { return mapping.mapValues(native) }
        if let number = value as? NSNumber {
            if String(cString: number.objCType) == "c" { return number.boolValue }
            let type = String(cString: number.objCType)
            return type == "d" || type == "f" ? number.doubleValue as Any : number.int64Value as Any
        }
        return value
    }

    private static func merge(_ source: [String: Any], into target: inout [String: Any], path: [String]) throws {
        for (key, value) in source {
            guard let existing = target[key] else {
                throw ConfigurationError.unknownKey(
                    (path + [key]).joined(separator: "."), validKeys: target.keys.sorted().map { (path + [$0]).joined(separator: ".") })
            }
            if var section = existing as? [String: Any] {
                guard let nested = value as? [String: Any] else {
                    throw ConfigurationError.invalidValue(
                        key: (path + [key]).joined(separator: "."), value: "\(value)", expected: "a section of keys")
                }
                try merge(nested, into: &section, path: path + [key])
                target[key] = section
            } else {
                target[key] = coerced(value, like: existing)
            }
        }
    }

    /// YAML 1.1 reads `5e-4` as text; where the default is a number, numeric text becomes one.
    private static func coerced(_ value: Any, like existing: Any) -> Any {
        guard existing is NSNumber, !(existing is Bool), let text = value as? String,
              let number = Double(text.trimmingCharacters(in: .whitespaces))
        else { return value }
        return number
    }

    private static func set(_ value: Any, at path: [String], in target: inout [String: Any]) throws {
        var nested: [String: Any] = [path[path.count - 1]: value]
        for key in path.dropLast().reversed() { nested = [key: nested] }
        try merge(nested, into: &target, path: [])
    }

    private static func decode(_ object: [String: Any]) throws -> PretrainingConfiguration {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            let data = try JSONSerialization.data(withJSONObject: object)
            return try decoder.decode(PretrainingConfiguration.self, from: data)
        } catch let error as DecodingError {
            switch error {
            case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
                throw ConfigurationError.invalidValue(
                    key: keyPath(context.codingPath), value: "\(value(at: context.codingPath, in: object) ?? "null")",
                    expected: "a value of type \(type)")
            case .dataCorrupted(let context):
                throw ConfigurationError.invalidValue(
                    key: keyPath(context.codingPath), value: "\(value(at: context.codingPath, in: object) ?? "?")",
                    expected: context.debugDescription)
            case .keyNotFound(let key, let context):
                throw ConfigurationError.invalidValue(
                    key: keyPath(context.codingPath + [key]), value: "missing", expected: "a value")
            @unknown default:
                throw ConfigurationError.malformed(source: "configuration", reason: "\(error)")
            }
        } catch {
            throw ConfigurationError.malformed(source: "configuration", reason: "\(error)")
        }
    }

    private static func snakeCase(_ key: String) -> String {
        var result = ""
        for character in key {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func keyPath(_ path: [any CodingKey]) -> String {
        path.map { snakeCase($0.stringValue) }.joined(separator: ".")
    }

    private static func value(at path: [any CodingKey], in object: [String: Any]) -> Any? {
        var current: Any? = object
        for key in path { current = (current as? [String: Any])?[snakeCase(key.stringValue)] }
        return current
    }
}
