/// Turns the unpickler's stack nodes and container arena into ``PickleValue``s.
///
/// Each container is converted once and shared afterwards (Swift arrays share storage), a
/// reference back into a container still being converted becomes
/// ``PickleValue/enclosingReference``, and a work budget proportional to the pickle's size
/// stops a small file of memo references from expanding into an enormous value.
struct PickleConverter {
    let containers: [PickleMachine.Container]
    /// Nodes left to convert before the pickle is judged a decompression bomb.
    var budget: Int
    private var converted: [Int: PickleValue] = [:]
    private var inProgress: Set<Int> = []

    init(containers: [PickleMachine.Container], budget: Int) {
        self.containers = containers
        self.budget = budget
    }

    mutating func value(
        of node: PickleMachine.Node, depth: Int = 0
    ) throws(TorchCheckpointError.Fault) -> PickleValue {
        budget -= 1
        guard budget >= 0 else {
            throw .malformedPickle(offset: 0, "references expand past the size of the file")
        }
        guard depth <= PickleMachine.maximumDepth else {
            throw .malformedPickle(
                offset: 0, "containers nested deeper than \(PickleMachine.maximumDepth)")
        }
        switch node {
        case .value(let value):
            return value
        case .tuple(let items, _):
            return .tuple(try values(of: items, depth: depth))
        case .global(let global):
            return .global(global.qualifiedName)
        case .storage(let storage):
            // A bare storage reads as the flat tensor of all its elements.
            return .tensor(
                try TorchTensorReference(
                    storage: storage, storageOffset: 0, shape: [storage.elementCount],
                    strides: [1]))
        case .container(let index):
            if let value = converted[index] { return value }
            if inProgress.contains(index) { return .enclosingReference }
            inProgress.insert(index)
            defer { inProgress.remove(index) }
            let value = try container(containers[index], depth: depth)
            converted[index] = value
            return value
        }
    }

    private mutating func values(
        of nodes: [PickleMachine.Node], depth: Int
    ) throws(TorchCheckpointError.Fault) -> [PickleValue] {
        var values: [PickleValue] = []
        values.reserveCapacity(nodes.count)
        for node in nodes { values.append(try value(of: node, depth: depth + 1)) }
        return values
    }

    private mutating func container(
        _ container: PickleMachine.Container, depth: Int
    ) throws(TorchCheckpointError.Fault) -> PickleValue {
        let items = try values(of: container.items, depth: depth)
        switch container.kind {
        case .list:
            return .list(items)
        case .dict:
            // A repeated key replaces the earlier value in place, as in a Python dict.
            var entries: [PickleValue.DictionaryEntry] = []
            var positions: [String: Int] = [:]
            for pair in stride(from: 0, to: items.count, by: 2) {
                let entry = PickleValue.DictionaryEntry(key: items[pair], value: items[pair + 1])
                if case .string(let key) = entry.key {
                    if let position = positions[key] {
                        entries[position] = entry
                        continue
                    }
                    positions[key] = entries.count
                }
                entries.append(entry)
            }
            return .dict(entries)
        case .object(let className):
            let state = try container.state.map { node throws(TorchCheckpointError.Fault) in
                try value(of: node, depth: depth + 1)
            }
            return .object(PickleObject(className: className, arguments: items, state: state))
        }
    }
}
