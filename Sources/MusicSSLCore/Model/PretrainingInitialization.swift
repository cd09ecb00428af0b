/// fairseq's initialisation of a wav2vec 2.0-style backbone trained from scratch (model-spec
/// §1.2, §1.5): the feature extractor's convolutions Kaiming-normal (`nn.init.kaiming_normal_`,
/// σ = √(2 / fan-in)), and in the Transformer (`init_bert_params`) every Linear weight
/// N(0, 0.02) with bias 0. Layer norms stay (1, 0); the positional convolution keeps its own
/// initialisation (weight-normed N(0, √(4 / (k·D))), or PyTorch's default for data2vec's stacked
/// blocks); the feature projection and heads keep PyTorch's default.
///
/// PyTorch's default (Kaiming-uniform with a = √5, what a fresh ``Linear`` or ``Conv1d`` has)
/// shrinks activations by about √3 per convolution: after the seven CNN layers the features'
/// mean square is near 1e-7, far below the following layer norm's ε, which stalls training.
public enum PretrainingInitialization {
    /// Standard deviation of the Transformer's Linear weights.
    public static let linearStandardDeviation: Float = 0.02

    /// Re-initialises every convolution of `extractor` Kaiming-normal.
    public static func initialize(
        _ extractor: ConvFeatureExtractor, using generator: inout some RandomNumberGenerator
    ) {
        for block in extractor.convolutionLayers.elements {
            let weight = block.convolution.weight
            let fanIn = weight.shape[1] * weight.shape[2]
            weight.value = Tensor.randomNormal(
                weight.shape, standardDeviation: (2 / Float(fanIn)).squareRoot(), using: &generator)
        }
    }

    /// Re-initialises every Linear layer of `encoder`'s Transformer layers: weights
    /// N(0, ``linearStandardDeviation``), biases 0.
    public static func initialize(
        _ encoder: TransformerEncoder, using generator: inout some RandomNumberGenerator
    ) {
        let parameters = encoder.layers.namedParameters()
        let byName = Dictionary(parameters.map { ($0.name, $0.parameter) }, uniquingKeysWith: { first, _ in first })
        for (name, parameter) in parameters where name.hasSuffix(".weight") && parameter.shape.count == 2 {
            parameter.value = Tensor.randomNormal(
                parameter.shape, standardDeviation: linearStandardDeviation, using: &generator)
            if let bias = byName[String(name.dropLast("weight".count)) + "bias"] {
                bias.value = Tensor.zeros(bias.shape)
            }
        }
    }
}
