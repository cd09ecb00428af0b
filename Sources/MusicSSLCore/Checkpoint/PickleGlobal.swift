/// A global (`module.name`) the restricted unpickler accepts, and what it does with it.
///
/// This table is the whole allow-list: the GLOBAL and STACK_GLOBAL opcodes look names up here
/// and refuse anything else with ``TorchCheckpointError/Fault/refusedGlobal(module:name:)``.
/// No entry runs Python code; the callable ones are re-implemented by the reader.
struct PickleGlobal: Equatable {
    /// What the unpickler does when the global is called or used.
    enum Role: Equatable {
        /// `collections.OrderedDict`: called with no arguments or a sequence of pairs.
        case orderedDict
        /// `collections.defaultdict`: called with a factory, which is dropped.
        case defaultDict
        /// `torch._utils._rebuild_tensor_v2` / `_rebuild_tensor`: a strided view of a storage.
        case rebuildTensor
        /// `torch._utils._rebuild_parameter` (and `_with_state`): the parameter's data.
        case rebuildParameter
        /// `torch.Size`: the tuple of extents it wraps.
        case torchSize
        /// `_codecs.encode(text, 'latin1')`: how protocol 2 writes `bytes` objects.
        case encodeBytes
        /// A storage class such as `torch.FloatStorage`, named in persistent ids.
        case storageType(TorchDType)
        /// A dtype such as `torch.float32`.
        case dtype(TorchDType)
        /// A class kept as an uninterpreted ``PickleObject`` when instantiated.
        case instance
        /// A name allowed only as a value (`typing.Any`, `builtins.dict`), never called.
        case constant
    }

    /// `module.name` as written in the pickle.
    let qualifiedName: String
    /// What the reader does with it.
    let role: Role

    /// The allow-listed global `module.name`, or nil when it is refused.
    init?(module: String, name: String) {
        let qualifiedName = "\(module).\(name)"
        guard let role = Self.allowed[qualifiedName] ?? Self.fairseqRole(module: module)
        else { return nil }
        self.qualifiedName = qualifiedName
        self.role = role
    }

    /// fairseq's own classes in its checkpoints' `cfg`, `task_state` and `extra_state`
    /// (config dataclasses, choice enums, label dictionaries, meters) are kept as data.
    private static func fairseqRole(module: String) -> Role? {
        let packages = ["dataclass", "models", "tasks", "criterions", "optim", "data", "logging"]
        let parts = module.split(separator: ".", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "fairseq", packages.contains(String(parts[1])) else {
            return nil
        }
        return .instance
    }

    private static let allowed: [String: Role] = {
        var table: [String: Role] = [
            "collections.OrderedDict": .orderedDict,
            "collections.defaultdict": .defaultDict,
            "torch._utils._rebuild_tensor_v2": .rebuildTensor,
            "torch._utils._rebuild_tensor": .rebuildTensor,
            "torch._utils._rebuild_parameter": .rebuildParameter,
            "torch._utils._rebuild_parameter_with_state": .rebuildParameter,
            "torch.Size": .torchSize,
            "_codecs.encode": .encodeBytes,
            "torch.UntypedStorage": .storageType(.uint8),
            "torch.storage.UntypedStorage": .storageType(.uint8),
        ]
        for dtype in TorchDType.allCases {
            table["torch.\(dtype.storageClassName)"] = .storageType(dtype)
            table["torch.\(dtype.rawValue)"] = .dtype(dtype)
        }
        // Configuration objects in fairseq checkpoints (`args`, `cfg`), kept as data.
        for name in [
            "argparse.Namespace",
            "omegaconf.dictconfig.DictConfig", "omegaconf.listconfig.ListConfig",
            "omegaconf.base.ContainerMetadata", "omegaconf.base.Metadata",
            "omegaconf.nodes.AnyNode", "omegaconf.nodes.StringNode",
            "omegaconf.nodes.IntegerNode", "omegaconf.nodes.FloatNode",
            "omegaconf.nodes.BooleanNode", "omegaconf.nodes.EnumNode",
            "omegaconf.nodes.PathNode", "omegaconf.nodes.BytesNode",
        ] {
            table[name] = .instance
        }
        // numpy scalars, dtypes and arrays in fairseq's `extra_state` meters, kept as data.
        for module in ["numpy.core.multiarray", "numpy._core.multiarray"] {
            table["\(module).scalar"] = .instance
            table["\(module)._reconstruct"] = .instance
        }
        table["numpy.dtype"] = .instance
        table["numpy.ndarray"] = .constant
        // Type objects omegaconf metadata names as values (`object_type`, `key_type`);
        // protocol 2 spells `builtins` as `__builtin__` (and `str` as `unicode`).
        for name in ["Any", "List", "Dict", "Tuple", "Optional", "Union"] {
            table["typing.\(name)"] = .constant
        }
        for module in ["builtins", "__builtin__"] {
            for name in [
                "dict", "list", "tuple", "set", "int", "long", "float", "str", "bool",
                "bytes", "object", "unicode",
            ] {
                table["\(module).\(name)"] = .constant
            }
        }
        return table
    }()
}
