/// The restricted unpickler: runs the opcodes of pickle protocols 2–5 that `torch.save`
/// writes, building values instead of calling anything.
///
/// Globals are looked up in the ``PickleGlobal`` allow-list the moment they are named, so a
/// pickle that mentions `os.system` or `builtins.eval` is refused before any later opcode is
/// read. Mutable containers live in an arena and are referenced by index, which keeps shared
/// and cyclic references (memo `BINGET`s) cheap and their teardown non-recursive.
struct PickleMachine {
    /// A value on the stack or in the memo.
    enum Node {
        /// An immutable scalar, string, bytes or tensor.
        case value(PickleValue)
        /// A list, dict or object in the arena, by index.
        case container(Int)
        /// A tuple and its nesting depth.
        case tuple([Node], depth: Int)
        /// An allow-listed global.
        case global(PickleGlobal)
        /// A storage named by a persistent id.
        case storage(TorchStorageReference)

        var depth: Int {
            if case .tuple(_, let depth) = self { return depth }
            return 0
        }
    }

    /// A mutable list, dict (keys and values alternating in `items`) or object (arguments in
    /// `items`, state in `state`).
    struct Container {
        enum Kind: Equatable {
            case list, dict
            case object(String)
        }
        var kind: Kind
        var items: [Node] = []
        var state: Node?
    }

    /// Deepest nesting of tuples, and of containers when converted to values.
    static let maximumDepth = 1000

    let bytes: [UInt8]
    let path: String
    var position = 0
    var opcodeStart = 0
    var stack: [Node] = []
    var marks: [Int] = []
    var memo: [Int: Node] = [:]
    var containers: [Container] = []
    /// Every storage a persistent id named, by key, for the caller to check against the archive.
    var storages: [String: TorchStorageReference] = [:]

    /// Prepares to run the pickle in `bytes`, reporting faults against `path`.
    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// Runs the pickle to its STOP opcode and returns the value it leaves.
    ///
    /// - Throws: ``TorchCheckpointError`` naming a refused global, an unknown opcode, or the
    ///   byte offset of any other malformation.
    mutating func run() throws(TorchCheckpointError) -> PickleValue {
        do {
            while true {
                opcodeStart = position
                let opcode = try readByte()
                if opcode == 0x2E {  // STOP
                    var converter = PickleConverter(
                        containers: containers, budget: 16 * bytes.count + 1024)
                    return try converter.value(of: try pop())
                }
                try execute(opcode)
            }
        } catch let fault {
            throw TorchCheckpointError(path: path, fault)
        }
    }

    /// Applies one opcode (see CPython's `Lib/pickle.py` for each one's meaning).
    private mutating func execute(_ opcode: UInt8) throws(TorchCheckpointError.Fault) {
        switch opcode {
        case 0x80:  // PROTO
            let version = try readByte()
            guard (2...5).contains(version) else { throw malformed("protocol \(version)") }
        case 0x95: _ = try read(8)  // FRAME: a length hint only
        case 0x28: marks.append(stack.count)  // MARK
        case 0x7D: push(newContainer(.dict))  // EMPTY_DICT
        case 0x5D, 0x8F: push(newContainer(.list))  // EMPTY_LIST, EMPTY_SET (kept as a list)
        case 0x29: push(.tuple([], depth: 1))  // EMPTY_TUPLE
        case 0x4E: push(.value(.none))  // NONE
        case 0x88: push(.value(.bool(true)))  // NEWTRUE
        case 0x89: push(.value(.bool(false)))  // NEWFALSE
        case 0x4A:  // BININT, signed
            push(.value(.int(Int(Int32(truncatingIfNeeded: try readInteger(4))))))
        case 0x4B: push(.value(.int(try readInteger(1))))  // BININT1
        case 0x4D: push(.value(.int(try readInteger(2))))  // BININT2
        case 0x8A: push(.value(.int(try readLong(try readInteger(1)))))  // LONG1
        case 0x8B: push(.value(.int(try readLong(try readSignedLength(4)))))  // LONG4
        case 0x47:  // BINFLOAT, big-endian
            let bits = try read(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            push(.value(.float(Double(bitPattern: bits))))
        case 0x8C: push(.value(.string(try readUTF8(try readInteger(1)))))  // SHORT_BINUNICODE
        case 0x58: push(.value(.string(try readUTF8(try readInteger(4)))))  // BINUNICODE
        case 0x8D: push(.value(.string(try readUTF8(try readInteger(8)))))  // BINUNICODE8
        case 0x55: push(.value(.string(try readLatin1(try readInteger(1)))))  // SHORT_BINSTRING
        case 0x54: push(.value(.string(try readLatin1(try readSignedLength(4)))))  // BINSTRING
        case 0x43: push(.value(.bytes(try read(try readInteger(1)))))  // SHORT_BINBYTES
        case 0x42: push(.value(.bytes(try read(try readInteger(4)))))  // BINBYTES
        case 0x8E, 0x96:  // BINBYTES8, BYTEARRAY8
            push(.value(.bytes(try read(try readInteger(8)))))
        case 0x85, 0x86, 0x87:  // TUPLE1, TUPLE2, TUPLE3
            let count = Int(opcode - 0x84)
            guard stack.count - count >= (marks.last ?? 0) else { throw underflow() }
            let items = Array(stack.suffix(count))
            stack.removeLast(count)
            push(try tuple(items))
        case 0x74: push(try tuple(try popToMark()))  // TUPLE
        case 0x6C:  // LIST
            let items = try popToMark()
            push(newContainer(.list, items: items))
        case 0x64:  // DICT
            let items = try popToMark()
            guard items.count % 2 == 0 else { throw malformed("DICT with an odd item count") }
            push(newContainer(.dict, items: items))
        case 0x61: try extend(.list, with: [try pop()])  // APPEND
        case 0x65, 0x90: try extend(.list, with: try popToMark())  // APPENDS, ADDITEMS
        case 0x73:  // SETITEM
            let value = try pop()
            try extend(.dict, with: [try pop(), value])
        case 0x75:  // SETITEMS
            let items = try popToMark()
            guard items.count % 2 == 0 else { throw malformed("SETITEMS with an odd count") }
            try extend(.dict, with: items)
        case 0x91: push(newContainer(.list, items: try popToMark()))  // FROZENSET
        case 0x71: memo[try readInteger(1)] = try top()  // BINPUT
        case 0x72: memo[try readInteger(4)] = try top()  // LONG_BINPUT
        case 0x94: memo[memo.count] = try top()  // MEMOIZE
        case 0x68, 0x6A:  // BINGET, LONG_BINGET
            let index = try readInteger(opcode == 0x68 ? 1 : 4)
            guard let node = memo[index] else {
                throw malformed("memo index \(index) was never stored (memo has \(memo.count))")
            }
            push(node)
        case 0x30: _ = try pop()  // POP
        case 0x31: _ = try popToMark()  // POP_MARK
        case 0x32: push(try top())  // DUP
        case 0x63:  // GLOBAL: "module\nname\n"
            let module = try readLine()
            push(.global(try lookUp(module: module, name: try readLine())))
        case 0x93:  // STACK_GLOBAL
            let name = try pop()
            let module = try pop()
            guard case .value(.string(let moduleName)) = module,
                case .value(.string(let globalName)) = name
            else { throw malformed("STACK_GLOBAL needs two strings") }
            push(.global(try lookUp(module: moduleName, name: globalName)))
        case 0x52:  // REDUCE
            let arguments = try tupleItems(try pop(), "REDUCE arguments")
            push(try call(try pop(), arguments))
        case 0x81:  // NEWOBJ
            let arguments = try tupleItems(try pop(), "NEWOBJ arguments")
            push(try instantiate(try pop(), arguments))
        case 0x92:  // NEWOBJ_EX: keyword arguments are dropped with the call
            _ = try pop()
            let arguments = try tupleItems(try pop(), "NEWOBJ_EX arguments")
            push(try instantiate(try pop(), arguments))
        case 0x62: try build(state: try pop())  // BUILD
        case 0x51: push(.storage(try storage(from: try pop())))  // BINPERSID
        default: throw .unknownOpcode(opcode, offset: opcodeStart)
        }
    }

    /// The fault for a malformation at the current opcode.
    func malformed(_ reason: String) -> TorchCheckpointError.Fault {
        .malformedPickle(offset: opcodeStart, reason)
    }

    private func underflow() -> TorchCheckpointError.Fault {
        malformed("stack underflow")
    }

    // MARK: Stack

    private mutating func push(_ node: Node) { stack.append(node) }

    private mutating func pop() throws(TorchCheckpointError.Fault) -> Node {
        guard stack.count > (marks.last ?? 0), let node = stack.popLast() else {
            throw underflow()
        }
        return node
    }

    private func top() throws(TorchCheckpointError.Fault) -> Node {
        guard stack.count > (marks.last ?? 0), let node = stack.last else { throw underflow() }
        return node
    }

    private mutating func popToMark() throws(TorchCheckpointError.Fault) -> [Node] {
        guard let mark = marks.popLast() else { throw malformed("no MARK to pop to") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func newContainer(_ kind: Container.Kind, items: [Node] = []) -> Node {
        containers.append(Container(kind: kind, items: items))
        return .container(containers.count - 1)
    }

    private func tuple(_ items: [Node]) throws(TorchCheckpointError.Fault) -> Node {
        let depth = 1 + (items.map(\.depth).max() ?? 0)
        guard depth <= Self.maximumDepth else {
            throw malformed("tuples nested deeper than \(Self.maximumDepth)")
        }
        return .tuple(items, depth: depth)
    }

    /// Appends `items` to the list or dict on top of the stack.
    private mutating func extend(
        _ kind: Container.Kind, with items: [Node]
    ) throws(TorchCheckpointError.Fault) {
        guard case .container(let index) = try top(), containers[index].kind == kind else {
            throw malformed("\(kind == .list ? "APPEND" : "SETITEM") target is not a \(kind)")
        }
        containers[index].items.append(contentsOf: items)
    }

    // MARK: Globals and calls

    private func lookUp(
        module: String, name: String
    ) throws(TorchCheckpointError.Fault) -> PickleGlobal {
        guard let global = PickleGlobal(module: module, name: name) else {
            throw .refusedGlobal(module: module, name: name)
        }
        return global
    }

    /// REDUCE: applies an allow-listed callable that the reader implements itself.
    private mutating func call(
        _ callable: Node, _ arguments: [Node]
    ) throws(TorchCheckpointError.Fault) -> Node {
        guard case .global(let global) = callable else {
            throw malformed("REDUCE on something other than an allow-listed global")
        }
        switch global.role {
        case .orderedDict:
            guard let pairs = arguments.first else { return newContainer(.dict) }
            var items: [Node] = []
            for pair in try sequenceItems(pairs) {
                let keyValue = try tupleItems(pair, "OrderedDict item")
                guard keyValue.count == 2 else { throw malformed("OrderedDict item not a pair") }
                items += keyValue
            }
            return newContainer(.dict, items: items)
        case .defaultDict:
            return newContainer(.dict)
        case .rebuildTensor:
            return .value(.tensor(try rebuildTensor(arguments)))
        case .rebuildParameter:
            guard let data = arguments.first, case .value(.tensor) = data else {
                throw malformed("\(global.qualifiedName) without a tensor")
            }
            return data
        case .torchSize:
            guard let extents = arguments.first else { return try tuple([]) }
            return try tuple(try sequenceItems(extents))
        case .encodeBytes:
            return .value(.bytes(try encodedBytes(arguments)))
        case .instance:
            return newContainer(.object(global.qualifiedName), items: arguments)
        case .storageType, .dtype, .constant:
            throw malformed("'\(global.qualifiedName)' is not callable in a checkpoint")
        }
    }

    /// `_codecs.encode(text[, encoding])` for the encodings protocol 2 uses.
    private func encodedBytes(_ arguments: [Node]) throws(TorchCheckpointError.Fault) -> [UInt8] {
        guard case .value(.string(let text)) = arguments.first else {
            throw malformed("_codecs.encode without a string")
        }
        let encoding: String
        switch arguments.dropFirst().first {
        case nil: encoding = "utf-8"
        case .value(.string(let name))?: encoding = name.lowercased()
        default: throw malformed("_codecs.encode with a non-string encoding")
        }
        switch encoding {
        case "utf-8", "utf8":
            return Array(text.utf8)
        case "latin1", "latin-1", "iso-8859-1":
            var bytes: [UInt8] = []
            for scalar in text.unicodeScalars {
                guard scalar.value < 256 else { throw malformed("non-latin1 text to encode") }
                bytes.append(UInt8(scalar.value))
            }
            return bytes
        default:
            throw malformed("_codecs.encode to '\(encoding)' is not supported")
        }
    }

    /// NEWOBJ: `cls.__new__(cls, *arguments)` for allow-listed classes.
    private mutating func instantiate(
        _ cls: Node, _ arguments: [Node]
    ) throws(TorchCheckpointError.Fault) -> Node {
        guard case .global(let global) = cls else { throw malformed("NEWOBJ on a non-class") }
        switch global.role {
        case .orderedDict, .defaultDict: return newContainer(.dict)
        case .instance: return newContainer(.object(global.qualifiedName), items: arguments)
        default: throw malformed("'\(global.qualifiedName)' cannot be instantiated")
        }
    }

    /// BUILD: sets an object's state. A dict's state (the `_metadata` attribute torch attaches
    /// to state dicts) is dropped: it holds module versions, not weights.
    private mutating func build(state: Node) throws(TorchCheckpointError.Fault) {
        guard case .container(let index) = try top() else {
            throw malformed("BUILD on a value that has no state")
        }
        switch containers[index].kind {
        case .object:
            containers[index].state = state
        case .dict:
            return
        case .list:
            throw malformed("BUILD on a list")
        }
    }

    // MARK: Tensors

    /// BINPERSID: `('storage', storage_type, key, location, numel)`, torch's persistent id.
    private mutating func storage(
        from id: Node
    ) throws(TorchCheckpointError.Fault) -> TorchStorageReference {
        let fields = try tupleItems(id, "persistent id")
        guard fields.count == 5, case .value(.string("storage")) = fields[0],
            case .global(let type) = fields[1],
            case .value(.string(let key)) = fields[2],
            case .value(.string(let location)) = fields[3],
            case .value(.int(let count)) = fields[4]
        else { throw malformed("persistent id is not ('storage', type, key, location, numel)") }
        let dtype: TorchDType
        switch type.role {
        case .storageType(let type), .dtype(let type): dtype = type
        default: throw malformed("'\(type.qualifiedName)' is not a storage type")
        }
        guard count >= 0, count <= Int.max / dtype.elementByteCount else {
            throw .invalidTensor("storage '\(key)' declares \(count) elements")
        }
        let storage = TorchStorageReference(
            key: key, dtype: dtype, elementCount: count, location: location)
        if let earlier = storages[key], earlier != storage {
            throw .invalidTensor("storage '\(key)' is declared twice, differently")
        }
        storages[key] = storage
        return storage
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, hooks, …)`.
    private func rebuildTensor(
        _ arguments: [Node]
    ) throws(TorchCheckpointError.Fault) -> TorchTensorReference {
        guard arguments.count >= 4, case .storage(let storage) = arguments[0],
            case .value(.int(let offset)) = arguments[1]
        else { throw malformed("_rebuild_tensor arguments are not (storage, offset, …)") }
        return try TorchTensorReference(
            storage: storage, storageOffset: offset, shape: try integers(arguments[2]),
            strides: try integers(arguments[3]))
    }

    private func integers(_ node: Node) throws(TorchCheckpointError.Fault) -> [Int] {
        var values: [Int] = []
        for item in try sequenceItems(node) {
            guard case .value(.int(let value)) = item else {
                throw malformed("tensor size or stride holds a non-integer")
            }
            values.append(value)
        }
        return values
    }

    private func tupleItems(
        _ node: Node, _ role: String
    ) throws(TorchCheckpointError.Fault) -> [Node] {
        guard case .tuple(let items, _) = node else { throw malformed("\(role) is not a tuple") }
        return items
    }

    private func sequenceItems(_ node: Node) throws(TorchCheckpointError.Fault) -> [Node] {
        switch node {
        case .tuple(let items, _): return items
        case .container(let index) where containers[index].kind == .list:
            return containers[index].items
        default: throw malformed("expected a tuple or list")
        }
    }

    // MARK: Reading the stream

    private mutating func read(_ count: Int) throws(TorchCheckpointError.Fault) -> [UInt8] {
        guard count >= 0, count <= bytes.count - position else {
            throw malformed("length \(count) runs past the end of the \(bytes.count)-byte pickle")
        }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    private mutating func readByte() throws(TorchCheckpointError.Fault) -> UInt8 {
        guard position < bytes.count else { throw malformed("pickle ends without STOP") }
        defer { position += 1 }
        return bytes[position]
    }

    /// An unsigned little-endian integer of `width` bytes; 8-byte values must fit in `Int`.
    private mutating func readInteger(_ width: Int) throws(TorchCheckpointError.Fault) -> Int {
        let value = try read(width).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard value <= UInt64(Int.max) else { throw malformed("length \(value) is absurd") }
        return Int(value)
    }

    /// A signed 4-byte length that must not be negative.
    private mutating func readSignedLength(_ width: Int) throws(TorchCheckpointError.Fault) -> Int {
        let length = Int(Int32(truncatingIfNeeded: try readInteger(width)))
        guard length >= 0 else { throw malformed("negative length \(length)") }
        return length
    }

    /// A little-endian two's-complement integer of `count` bytes (LONG1/LONG4).
    private mutating func readLong(_ count: Int) throws(TorchCheckpointError.Fault) -> Int {
        guard count <= 8 else { throw malformed("integer of \(count) bytes exceeds 64 bits") }
        let digits = try read(count)
        guard let last = digits.last else { return 0 }
        var value = UInt64(last & 0x80 != 0 ? UInt64.max : 0)
        for byte in digits.reversed() { value = value << 8 | UInt64(byte) }
        return Int(truncatingIfNeeded: value)
    }

    private mutating func readUTF8(_ count: Int) throws(TorchCheckpointError.Fault) -> String {
        guard let string = String(validating: try read(count), as: UTF8.self) else {
            throw malformed("string is not valid UTF-8")
        }
        return string
    }

    private mutating func readLatin1(_ count: Int) throws(TorchCheckpointError.Fault) -> String {
        String(try read(count).map { Character(Unicode.Scalar($0)) })
    }

    /// A newline-terminated ASCII line of at most 256 bytes (GLOBAL's operands).
    private mutating func readLine() throws(TorchCheckpointError.Fault) -> String {
        let end = bytes[position...].prefix(257).firstIndex(of: 0x0A)
        guard let end else { throw malformed("GLOBAL name is not a line of ≤ 256 bytes") }
        let line = try read(end - position)
        position += 1
        return String(decoding: line, as: UTF8.self)
    }
}
