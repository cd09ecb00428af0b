import MusicSSLCore

/// MARBLE's probe: a layer aggregator followed by an MLP (or linear) head, applied to pooled
/// window features or to frames (probe-spec §1.4, `benchmark/models/probers.py`
/// `ProberForBertUtterCLS`).
///
/// For ``LayerSelection/weightedSum(includesLayer0:)`` the aggregator is a learnable vector of
/// one logit per selected hidden state; the features are summed with the softmax of those
/// logits, `x = Σ_l softmax(w)_l · h_l`. For ``LayerSelection/single(_:)`` the one hidden state
/// passes through. Parameter names: `aggregator` (the logits, MARBLE's shape `[1, L, 1]`
/// flattened to `[L]`), `hidden` and `output` (the two `Linear`s; `output` alone for a linear
/// probe).
///
/// ```swift
/// var generator = SplitMix64(seed: 1234)
/// let head = try ProbeHead(
///     layer: .all, hiddenStateCount: 13, inputDimensions: 768, outputCount: 10,
///     using: &generator)
/// let logits = try head(features, using: &generator)   // [64, 12, 768] → [64, 10]
/// ```
public final class ProbeHead: Layer {
    /// The hidden states read.
    public let layer: LayerSelection
    /// Their indices, a contiguous range of the features' hidden states.
    public let hiddenStates: Range<Int>
    /// Width of one hidden state (768 for base models).
    public let inputDimensions: Int
    /// Width of the output (``TaskKind/outputCount``).
    public let outputCount: Int
    /// The head after aggregation.
    public let architecture: ProbeArchitecture
    /// `[selectedLayers]` logits of the layer weights; nil for a single layer.
    public let aggregator: Parameter?
    /// The first linear layer of an MLP; nil for a linear probe.
    public let hidden: Linear?
    /// Dropout between ReLU and the output layer; nil for a linear probe.
    public let dropout: Dropout?
    /// The output layer.
    public let output: Linear
    /// True in training mode (dropout active); set with `setTraining(_:)`.
    public var isTraining = true

    /// Creates a probe with PyTorch's default initialisation of its linear layers.
    ///
    /// - Parameters:
    ///   - layer: The hidden states read.
    ///   - hiddenStateCount: Hidden states in the features (L + 1, 13 for base models).
    ///   - inputDimensions: Width of one hidden state.
    ///   - outputCount: Classes, tags, outputs, or 2 for beat tracking.
    ///   - architecture: ``ProbeArchitecture/marble`` unless given.
    ///   - layerWeightInitialization: ``LayerWeightInitialization/randomNormal`` (MARBLE) unless
    ///     given; drawn first, before the linear layers, as MARBLE's `__init__` orders them.
    ///   - generator: Source of the initial weights.
    /// - Throws: ``ProbeError`` when the layer is out of range or a width is not positive.
    public init(
        layer: LayerSelection, hiddenStateCount: Int, inputDimensions: Int, outputCount: Int,
        architecture: ProbeArchitecture = .marble,
        layerWeightInitialization: LayerWeightInitialization = .randomNormal,
        using generator: inout some RandomNumberGenerator
    ) throws {
        guard inputDimensions > 0, outputCount > 0 else {
            throw ProbeError.invalidConfiguration(
                "probe widths must be positive, got \(inputDimensions) inputs and "
                    + "\(outputCount) outputs")
        }
        self.layer = layer
        self.hiddenStates = try layer.hiddenStates(outOf: hiddenStateCount)
        self.inputDimensions = inputDimensions
        self.outputCount = outputCount
        self.architecture = architecture
        if case .weightedSum = layer {
            let shape = [hiddenStates.count]
            aggregator = Parameter(
                layerWeightInitialization == .zeros
                    ? Tensor.zeros(shape) : Tensor.randomNormal(shape, using: &generator))
        } else {
            aggregator = nil
        }
        switch architecture {
        case .mlp(let hiddenDimensions, let probability):
            guard hiddenDimensions > 0, (0..<1).contains(probability) else {
                throw ProbeError.invalidConfiguration(
                    "MLP needs hidden width > 0 and dropout in [0, 1), got \(hiddenDimensions) "
                        + "and \(probability)")
            }
            hidden = Linear(
                inputDimensions: inputDimensions, outputDimensions: hiddenDimensions,
                using: &generator)
            dropout = Dropout(probability: probability)
            output = Linear(
                inputDimensions: hiddenDimensions, outputDimensions: outputCount,
                using: &generator)
        case .linear:
            hidden = nil
            dropout = nil
            output = Linear(
                inputDimensions: inputDimensions, outputDimensions: outputCount,
                using: &generator)
        }
    }

    /// `aggregator` for a weighted sum; nothing for a single layer.
    public var namedLocalParameters: [(name: String, parameter: Parameter)] {
        aggregator.map { [("aggregator", $0)] } ?? []
    }

    /// `hidden` (MLP only) and `output`.
    public var namedSublayers: [(name: String, layer: any Layer)] {
        var layers: [(name: String, layer: any Layer)] = []
        if let hidden { layers.append(("hidden", hidden)) }
        layers.append(("output", output))
        return layers
    }

    /// The softmax of the aggregator's logits, one weight per selected hidden state (summing
    /// to 1); nil for a single layer. MARBLE logs these as `test_layer_{i}_weight`.
    public var layerWeights: [Float]? {
        guard let aggregator else { return nil }
        return noGrad { (try? aggregator.value.softmax(alongAxis: 0))?.scalars }
    }

    /// The probe's output for each row of `features`.
    ///
    /// - Parameters:
    ///   - features: `[rows, selectedLayers, inputDimensions]`: pooled windows or frames, the
    ///     selected hidden states only (`selectedLayers` = ``hiddenStates``.count).
    ///   - generator: Source of the dropout mask (drawn only in training with dropout > 0).
    /// - Returns: `[rows, outputCount]` logits.
    /// - Throws: ``ProbeError/shape(component:expected:found:)`` for features of another shape.
    public func callAsFunction(
        _ features: Tensor, using generator: inout some RandomNumberGenerator
    ) throws -> Tensor {
        let layerCount = hiddenStates.count
        guard features.rank == 3, features.shape[1] == layerCount,
            features.shape[2] == inputDimensions
        else {
            throw ProbeError.shape(
                component: "ProbeHead",
                expected: "[rows, \(layerCount), \(inputDimensions)]", found: features.shape)
        }
        let rows = features.shape[0]
        var x: Tensor
        if let aggregator {
            // MARBLE: (softmax(w, dim=1) * h).sum(dim=1) with w of shape [1, L, 1].
            let weights = try aggregator.tensor.softmax(alongAxis: 0)
                .reshaped(to: [1, layerCount, 1])
            x = try (features * weights).sum(alongAxes: [1])  // [rows, D]
        } else {
            x = try features.reshaped(to: [rows, inputDimensions])
        }
        if let hidden, let dropout {
            x = try dropout(try hidden(x).relu(), using: &generator)
        }
        return try output(x)
    }
}
