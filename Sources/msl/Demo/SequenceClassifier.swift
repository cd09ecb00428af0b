import MusicSSLCore

/// A per-frame classifier: linear input projection, a stack of Transformer layers, and a linear
/// classifier over every frame's final hidden state.
final class SequenceClassifier: Layer {
    let inputProjection: Linear
    let layers: LayerList<TransformerLayer>
    let classifier: Linear
    var isTraining = true

    var namedSublayers: [(name: String, layer: any Layer)] {
        [("input_projection", inputProjection), ("layers", layers), ("classifier", classifier)]
    }

    init(
        inputDimensions: Int, classCount: Int, layerConfiguration: TransformerLayerConfiguration,
        layerCount: Int, using generator: inout some RandomNumberGenerator
    ) throws {
        let width = layerConfiguration.modelDimensions
        inputProjection = Linear(
            inputDimensions: inputDimensions, outputDimensions: width, using: &generator)
        layers = LayerList(
            try (0..<layerCount).map { _ in
                try TransformerLayer(configuration: layerConfiguration, using: &generator)
            })
        classifier = Linear(inputDimensions: width, outputDimensions: classCount, using: &generator)
    }

    /// - Parameter features: `[batch, frames, inputDimensions]`
    /// - Returns: class logits `[batch · frames, classCount]`.
    func callAsFunction(
        _ features: Tensor, using generator: inout some RandomNumberGenerator
    ) throws -> Tensor {
        var hidden = try inputProjection(features)
        for layer in layers.elements {
            hidden = try layer(hidden, keyPaddingMask: nil, using: &generator).hiddenStates
        }
        let logits = try classifier(hidden)
        return try logits.reshaped(to: [-1, classifier.outputDimensions])
    }

    /// Fraction of frames of `batch` classified correctly, in evaluation mode without a graph.
    func accuracy(
        on batch: WindowMaximumTask.Batch, using generator: inout some RandomNumberGenerator
    ) throws -> Double {
        setTraining(false)
        defer { setTraining(true) }
        let predictions = try noGrad { try self(batch.features, using: &generator) }
            .argmax(alongAxis: 1)
        let correct = zip(predictions, batch.targets).filter { $0 == $1 }.count
        return Double(correct) / Double(max(1, batch.targets.count))
    }
}
