extension PickleValue {
    /// This value with fairseq's configuration objects turned into plain dicts and lists:
    /// an `argparse.Namespace` becomes the dict of its attributes, an omegaconf `DictConfig`
    /// the dict of its `_content`, a `ListConfig` the list of it, and a value node (`AnyNode`,
    /// `IntegerNode` …) its `_val`, and an enum member (an object made from one argument,
    /// with no state, as `Enum.__reduce_ex__` pickles it) its value. Other values are rebuilt
    /// with their contents converted.
    ///
    /// ```swift
    /// let layers = checkpoint.root["cfg"]?.configuration["model"]?["encoder_layers"]
    /// ```
    public var configuration: PickleValue {
        switch self {
        case .list(let items):
            return .list(items.map(\.configuration))
        case .tuple(let items):
            return .tuple(items.map(\.configuration))
        case .dict(let entries):
            return .dict(entries.map { .init(key: $0.key, value: $0.value.configuration) })
        case .object(let object):
            return object.configuration
        default:
            return self
        }
    }
}

extension PickleObject {
    /// See ``PickleValue/configuration``; objects of other classes are returned unchanged.
    fileprivate var configuration: PickleValue {
        switch className {
        case "argparse.Namespace":
            return (state ?? .dict([])).configuration
        case "omegaconf.dictconfig.DictConfig", "omegaconf.listconfig.ListConfig":
            // A None `_content` is a config set to None; a string one is an interpolation.
            return (state?["_content"] ?? .none).configuration
        case _ where className.hasPrefix("omegaconf.nodes."):
            return (state?["_val"] ?? .none).configuration
        case _ where arguments.count == 1 && state == nil:
            return arguments[0].configuration
        default:
            return .object(self)
        }
    }
}
