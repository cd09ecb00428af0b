/// A value decoded from a PyTorch checkpoint's pickle by the restricted unpickler.
///
/// Nothing in the pickle is executed: containers are rebuilt as plain values, tensors as
/// references into the checkpoint's storages, and instances of allow-listed classes that the
/// reader does not interpret (argparse `Namespace`, omegaconf `DictConfig` …) as ``object(_:)``
/// values holding their class name, constructor arguments and state.
public indirect enum PickleValue: Equatable, Sendable {
    /// Python `None`.
    case none
    /// A Python `bool`.
    case bool(Bool)
    /// A Python `int` that fits in 64 bits.
    case int(Int)
    /// A Python `float`.
    case float(Double)
    /// A Python `str` (also Python 2 `str` written with the BINSTRING opcodes).
    case string(String)
    /// Python `bytes` or `bytearray`.
    case bytes([UInt8])
    /// A Python `list`.
    case list([PickleValue])
    /// A Python `tuple`.
    case tuple([PickleValue])
    /// A Python `dict`, `OrderedDict` or `defaultdict`, in insertion order.
    case dict([DictionaryEntry])
    /// A tensor: a view into one of the checkpoint's storages.
    case tensor(TorchTensorReference)
    /// An allow-listed class or constant named as a value, e.g. `typing.Any`, `torch.float32`.
    case global(String)
    /// An instance of an allow-listed class this reader keeps without interpreting.
    case object(PickleObject)
    /// A reference back to a container that encloses it (omegaconf's `_parent` links, for
    /// one): Python keeps the cycle, this value marks where it was cut.
    case enclosingReference

    /// One key-value pair of a ``dict(_:)``.
    public struct DictionaryEntry: Equatable, Sendable {
        /// The key, usually a ``PickleValue/string(_:)``.
        public let key: PickleValue
        /// The value.
        public let value: PickleValue

        /// Creates an entry.
        public init(key: PickleValue, value: PickleValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value stored under the string `key` when this is a ``dict(_:)``, else nil.
    public subscript(key: String) -> PickleValue? {
        guard case .dict(let entries) = self else { return nil }
        return entries.last { $0.key == .string(key) }?.value
    }
}

/// An instance of an allow-listed class kept as data: `module.Class`, the arguments it was
/// constructed with, and the state `BUILD` gave it (`__dict__` for plain Python objects).
public struct PickleObject: Equatable, Sendable {
    /// Qualified class name, e.g. `argparse.Namespace`.
    public let className: String
    /// Arguments passed to the class (by `NEWOBJ` or `REDUCE`).
    public let arguments: [PickleValue]
    /// The state set by `BUILD`, or nil when there was none.
    public let state: PickleValue?

    /// Creates an object value.
    public init(className: String, arguments: [PickleValue], state: PickleValue?) {
        self.className = className
        self.arguments = arguments
        self.state = state
    }
}
