import MusicSSLCore

/// The state an optimizer keeps for one parameter, convertible to and from named tensors.
protocol ParameterState: AnyObject {
    /// Every state name this kind of state writes (torch's names: `exp_avg`, `momentum_buffer`).
    static var stateNames: [String] { get }
    /// The state as tensors, by state name.
    var stateTensors: [String: Tensor] { get }
    /// Restores state from `tensors` (a subset of ``stateNames``) for a parameter of `shape`.
    init(restoringFrom tensors: [String: Tensor], parameterName: String, shape: [Int]) throws
}

/// Per-parameter optimizer state keyed by parameter identity.
///
/// Each entry holds its parameter, so an identity cannot be reused by a new object while the
/// table remembers it.
struct ParameterStateTable<State: ParameterState> {
    private var entries: [ObjectIdentifier: (parameter: Parameter, state: State)] = [:]

    /// The state kept for `parameter`, if any.
    func state(for parameter: Parameter) -> State? {
        entries[ObjectIdentifier(parameter)]?.state
    }

    /// Remembers `state` for `parameter`.
    mutating func setState(_ state: State, for parameter: Parameter) {
        entries[ObjectIdentifier(parameter)] = (parameter, state)
    }

    /// All state as `"<parameter name>.<state name>"` tensors plus `"step_count"`.
    func export(
        names: [(name: String, parameter: Parameter)], stepCount: Int
    ) throws -> [String: Tensor] {
        var result: [String: Tensor] = ["step_count": Tensor(scalar: Float(stepCount))]
        var named = Set<ObjectIdentifier>()
        for (name, parameter) in names {
            guard let state = state(for: parameter) else { continue }
            named.insert(ObjectIdentifier(parameter))
            for (stateName, tensor) in state.stateTensors {
                result[name + "." + stateName] = tensor
            }
        }
        if let missing = entries.values.first(where: {
            !named.contains(ObjectIdentifier($0.parameter))
        }) {
            throw OptimizationError.stateMismatch(
                key: "names",
                message: "a parameter of shape \(missing.parameter.shape) has state but no name")
        }
        return result
    }

    /// Replaces all state with `tensors` from ``export(names:stepCount:)``; returns the step count.
    mutating func load(
        _ tensors: [String: Tensor], names: [(name: String, parameter: Parameter)]
    ) throws -> Int {
        var restored: [ObjectIdentifier: (parameter: Parameter, state: State)] = [:]
        var consumed: Set<String> = ["step_count"]
        for (name, parameter) in names {
            var local: [String: Tensor] = [:]
            for stateName in State.stateNames {
                let key = name + "." + stateName
                if let tensor = tensors[key] {
                    local[stateName] = tensor
                    consumed.insert(key)
                }
            }
            guard !local.isEmpty else { continue }
            let state = try State(restoringFrom: local, parameterName: name, shape: parameter.shape)
            restored[ObjectIdentifier(parameter)] = (parameter, state)
        }
        if let unknown = tensors.keys.sorted().first(where: { !consumed.contains($0) }) {
            throw OptimizationError.stateMismatch(
                key: unknown, message: "names no parameter or \(State.stateNames) state")
        }
        var stepCount = 0
        if let count = tensors["step_count"] {
            stepCount = try restoredCount(count, key: "step_count")
        }
        entries = restored
        return stepCount
    }
}

/// Reads a count stored as a one-element Float32 tensor.
func restoredCount(_ tensor: Tensor, key: String) throws -> Int {
    guard tensor.count == 1, let value = tensor.scalars.first, value >= 0,
        value == value.rounded(), value < 0x1p24
    else {
        throw OptimizationError.stateMismatch(
            key: key, message: "expected one non-negative whole number, got \(tensor)")
    }
    return Int(value)
}

/// Checks that a restored state tensor has its parameter's shape.
func checkRestoredShape(_ tensor: Tensor, key: String, shape: [Int]) throws {
    guard tensor.shape == shape else {
        throw OptimizationError.stateMismatch(
            key: key, message: "shape \(tensor.shape) for a parameter of shape \(shape)")
    }
}
