import Foundation

extension PickleValue {
    /// The value as the Foundation types a decoded JSON config uses (`[String: Any]`, `[Any]`,
    /// `Int`, `Double`, `String`, `Bool`, `NSNull`), so a fairseq `cfg` read from a pickle goes
    /// through the same configuration reader as a JSON file. Dictionary keys that are not
    /// strings, tensors and opaque objects are described by their kind.
    var foundationObject: Any {
        switch self.configuration {
        case .none: return NSNull()
        case .bool(let value): return value
        case .int(let value): return value
        case .float(let value): return value
        case .string(let value): return value
        case .bytes(let value): return Data(value)
        case .list(let items), .tuple(let items): return items.map(\.foundationObject)
        case .dict(let entries):
            var dictionary: [String: Any] = [:]
            for entry in entries {
                guard case .string(let key) = entry.key else { continue }
                dictionary[key] = entry.value.foundationObject
            }
            return dictionary
        case .tensor: return "<tensor>"
        case .global(let name): return "<global \(name)>"
        case .object(let object): return "<\(object.className)>"
        case .enclosingReference: return "<cycle>"
        }
    }
}
