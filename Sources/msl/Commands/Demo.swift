import ArgumentParser
import Foundation
import MusicSSLCore
import MusicSSLTrain

/// `msl demo`: trains a small Transformer on a synthetic sequence task and prints the loss as
/// it falls, exercising the tensor engine, autodiff, layers, AdamW, the learning-rate schedule
/// and gradient clipping end to end.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a small Transformer on a synthetic sequence task and watch the loss fall.",
        discussion: """
            Each frame of a random sequence of 16 symbols must be labelled with the largest symbol \
            within two frames of it, so the model has to attend to its neighbours. \
            The model is a linear input projection, two post-LN Transformer layers (width 64, \
            4 heads, feed-forward 256) and a linear classifier, trained with AdamW, linear warmup \
            and decay, and gradient-norm clipping. Accuracy is measured on a held-out batch in \
            evaluation mode. Chance level is a loss of ln 16 ≈ 2.77.
            """)

    @Option(help: "Optimizer steps.")
    var steps = 1000

    @Option(help: "Seed of the data and the initial weights.")
    var seed: UInt64 = 0

    func validate() throws {
        guard steps > 0 else { throw ValidationError("--steps must be positive, got \(steps).") }
    }

    func run() throws {
        let settings = DemoSettings()
        var generator = SplitMix64(seed: seed)
        let task = WindowMaximumTask(
            symbolCount: settings.symbolCount, frameCount: settings.frameCount,
            radius: settings.radius)
        let model = try SequenceClassifier(
            inputDimensions: task.featureDimensions, classCount: task.symbolCount,
            layerConfiguration: settings.layerConfiguration, layerCount: settings.layerCount,
            using: &generator)
        let optimizer = try AdamW(
            beta1: 0.9, beta2: 0.98, epsilon: 1e-6, weightDecay: settings.weightDecay)
        let schedule = try LinearWarmupPolynomialDecay(
            peakLearningRate: settings.peakLearningRate, warmupSteps: max(1, steps / 10),
            totalSteps: steps)
        var heldOutGenerator = SplitMix64(seed: seed &+ 1)
        let heldOut = try task.batch(size: settings.batchSize, using: &heldOutGenerator)

        print(
            "msl demo: \(model.parameterCount) parameters, batch \(settings.batchSize) × "
                + "\(task.frameCount) frames, \(steps) steps, seed \(seed)")
        print("  step    loss   held-out accuracy   learning rate   elapsed")
        let logInterval = max(1, steps / 20)
        let start = DispatchTime.now().uptimeNanoseconds
        for step in 1...steps {
            let batch = try task.batch(size: settings.batchSize, using: &generator)
            model.zeroGradients()
            let loss = try crossEntropy(
                logits: model(batch.features, using: &generator), targets: batch.targets)
            guard try loss.item().isFinite else {
                throw ValidationError("the loss became \(try loss.item()) at step \(step); stopping")
            }
            try loss.backward()
            try clipGradientNorm(of: model.parameters, maximumNorm: settings.maximumGradientNorm)
            // fairseq's convention: the rate for an update is a function of the updates done.
            let learningRate = schedule.learningRate(atStep: step - 1)
            try optimizer.update(model.parameters, learningRate: learningRate)

            if step == 1 || step % logInterval == 0 || step == steps {
                let accuracy = try model.accuracy(on: heldOut, using: &heldOutGenerator)
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
                print(
                    String(
                        format: "%6ld  %6.3f   %14.1f %%   %13.2e   %6.1f s", step, try loss.item(),
                        100 * accuracy, learningRate, elapsed))
            }
        }
    }
}

/// The demo's fixed sizes and optimisation settings.
private struct DemoSettings {
    let symbolCount = 16
    let frameCount = 64
    let radius = 2
    let batchSize = 32
    let layerCount = 2
    let layerConfiguration = TransformerLayerConfiguration(
        modelDimensions: 64, headCount: 4, feedForwardDimensions: 256, dropoutProbability: 0.1,
        attentionDropoutProbability: 0.1, placement: .postNorm)
    let peakLearningRate: Float = 3e-3
    let weightDecay: Float = 0.01
    let maximumGradientNorm: Float = 1
}
