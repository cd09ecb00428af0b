/// A neural-network building block that owns named parameters and sublayers.
///
/// A conforming type lists its own parameters and sublayers under the names HuggingFace gives
/// the same module (`weight`, `attention`, `feed_forward`, …); dotted names such as
/// `encoder.layers.3.attention.q_proj.weight` then follow from the property path, so checkpoint
/// import and export is one rename table rather than code spread over the layers.
///
/// ```swift
/// final class Block: Layer {
///     var isTraining = true
///     let norm = LayerNorm(dimensions: 8)
///     let proj = Linear(inputDimensions: 8, outputDimensions: 8, using: &generator)
///     var namedSublayers: [(name: String, layer: any Layer)] { [("norm", norm), ("proj", proj)] }
/// }
/// ```
public protocol Layer: AnyObject {
    /// Parameters this layer owns directly, by their local names.
    var namedLocalParameters: [(name: String, parameter: Parameter)] { get }
    /// Direct sublayers, by their local names.
    var namedSublayers: [(name: String, layer: any Layer)] { get }
    /// True in training mode (dropout and layer drop active); set through ``setTraining(_:)``.
    var isTraining: Bool { get set }
}

extension Layer {
    public var namedLocalParameters: [(name: String, parameter: Parameter)] { [] }
    public var namedSublayers: [(name: String, layer: any Layer)] { [] }

    /// Every parameter of this layer and its sublayers, with dotted names, in declaration order.
    public func namedParameters(prefix: String = "") -> [(name: String, parameter: Parameter)] {
        var result = namedLocalParameters.map { (name: prefix + $0.name, parameter: $0.parameter) }
        for (name, layer) in namedSublayers {
            result += layer.namedParameters(prefix: prefix + name + ".")
        }
        return result
    }

    /// Every parameter, in the order of ``namedParameters(prefix:)``.
    public var parameters: [Parameter] { namedParameters().map(\.parameter) }

    /// Total number of scalars in all parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// The parameter with dotted name `name`, if any.
    public func parameter(named name: String) -> Parameter? {
        namedParameters().first { $0.name == name }?.parameter
    }

    /// Switches this layer and all sublayers to training (`true`) or evaluation (`false`) mode.
    public func setTraining(_ isTraining: Bool) {
        self.isTraining = isTraining
        for (_, layer) in namedSublayers { layer.setTraining(isTraining) }
    }

    /// Clears the accumulated gradient of every parameter.
    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }
}

/// An ordered list of layers whose names are their indices (`layers.0`, `layers.1`, …), as
/// PyTorch's `nn.ModuleList`.
public final class LayerList<Element: Layer>: Layer {
    /// The layers, in order.
    public let elements: [Element]
    public var isTraining = true

    /// Creates a list holding `elements`.
    public init(_ elements: [Element]) {
        self.elements = elements
    }

    public var namedSublayers: [(name: String, layer: any Layer)] {
        elements.enumerated().map { (name: String($0.offset), layer: $0.element as any Layer) }
    }
}
