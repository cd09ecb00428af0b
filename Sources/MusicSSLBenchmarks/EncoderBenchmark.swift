import MusicSSLCore
import MusicSSLTrain

/// A whole encoder (``EncoderModel``) on 5 s clips at 16 kHz, as `Benchmarks/reference_encoder.py`
/// runs transformers' `HubertModel`: inference in eval mode without a graph, every hidden state
/// kept; and one training step in train mode (layer drop off on both sides, so that every step
/// does the same work) with every other frame masked, a `Linear(D → 500)` on the masked frames of
/// the last hidden state, cross-entropy against fixed random labels, backward and AdamW.
final class EncoderBenchmark {
    static let sampleRate = 16_000
    static let seconds = 5
    static let classCount = 500

    /// "base" or "tiny".
    let name: String
    private let model: EncoderModel
    private let head: Linear
    private let parameters: [Parameter]
    private let optimizer: AdamW
    private var generator = SplitMix64(seed: 0)

    /// Builds the model and runs one warm-up inference and training step (buffer pool, BLAS
    /// threads).
    init(name: String, configuration: EncoderConfiguration) throws {
        self.name = name
        var configuration = configuration
        configuration.layerDropProbability = 0
        model = try EncoderModel(configuration: configuration, using: &generator)
        head = Linear(
            inputDimensions: configuration.modelDimensions, outputDimensions: Self.classCount,
            using: &generator)
        parameters = model.parameters + head.parameters
        optimizer = try AdamW()
        _ = try inference(batch: 1)
        _ = try trainingStep(batch: 1)
    }

    private func waveforms(batch: Int) -> Tensor {
        Tensor.randomNormal([batch, Self.sampleRate * Self.seconds], using: &generator)
    }

    /// Seconds for one forward pass over `batch` clips in eval mode under ``noGrad(_:)``.
    func inference(batch: Int) throws -> Double {
        let x = waveforms(batch: batch)
        model.setTraining(false)
        return try secondsTaken {
            try noGrad { _ = try model(x, using: &generator) }
        }
    }

    /// Seconds for one training step over `batch` clips: forward with every other frame masked,
    /// the masked cross-entropy, backward and the AdamW update.
    func trainingStep(batch: Int) throws -> Double {
        let x = waveforms(batch: batch)
        let frames = model.configuration.frameCount(forSampleCount: x.shape[1])
        let mask = (0..<batch * frames).map { $0 % frames % 2 == 0 }
        let labels = mask.filter { $0 }.map { _ in Int.random(in: 0..<Self.classCount, using: &generator) }
        model.setTraining(true)
        head.setTraining(true)
        return try secondsTaken {
            model.zeroGradients()
            head.zeroGradients()
            let hidden = try model(x, mask: mask, using: &generator).encoder.lastHiddenState
            let masked = try hidden.reshaped(to: [batch * frames, hidden.shape[2]])
                .selectingRows(where: mask)
            let loss = try crossEntropy(logits: try head(masked), targets: labels)
            try loss.backward()
            try optimizer.update(parameters, learningRate: 1e-4)
        }
    }
}
