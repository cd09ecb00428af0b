import MusicSSLTestSupport
import Testing

@Suite("Layers")
struct LayerTests {
    @Test("dotted parameter names follow the property path through nested lists")
    func nestedNames() throws {
        var generator = SplitMix64(seed: 1)
        let configuration = TransformerLayerConfiguration(modelDimensions: 8, headCount: 2, feedForwardDimensions: 16)
        let layers = LayerList(try (0..<2).map { _ in try TransformerLayer(configuration: configuration, using: &generator) })
        let names = layers.namedParameters(prefix: "encoder.layers.").map(\.name)
        #expect(names.contains("encoder.layers.1.attention.out_proj.bias"))
        #expect(names.count == 32)
        #expect(layers.parameter(named: "0.final_layer_norm.bias")?.shape == [8])
    }

    @Test("Linear, Conv1d and norms validate shapes and count parameters like PyTorch")
    func shapesAndCounts() throws {
        var generator = SplitMix64(seed: 2)
        let dense = Linear(inputDimensions: 4, outputDimensions: 3, using: &generator)
        #expect(dense.parameterCount == 15)
        #expect(throws: TensorError.self) { try dense(Tensor.zeros([2, 5])) }
        let conv = Conv1d(inputChannels: 4, outputChannels: 6, kernelSize: 3, stride: 2, groupCount: 2, usesBias: false, using: &generator)
        #expect(conv.parameterCount == 6 * 2 * 3)
        #expect(try conv(Tensor.zeros([1, 4, 9])).shape == [1, 6, 4])
        #expect(LayerNorm(dimensions: 5, isAffine: false).parameterCount == 0)
        #expect(throws: TensorError.self) { try LayerNorm(dimensions: 5)(Tensor.zeros([2, 4])) }
        #expect(throws: TensorError.self) { try GroupNorm(groupCount: 2, channelCount: 4)(Tensor.zeros([2, 3, 5])) }
        #expect(throws: TensorError.self) { try MultiHeadSelfAttention(modelDimensions: 10, headCount: 3, using: &generator) }
        let table = Embedding(count: 5, dimensions: 2, using: &generator)
        #expect(try table([4, 0]).shape == [2, 2])
    }

    @Test("dropout is the identity in evaluation mode and active in training")
    func dropoutModes() throws {
        var generator = SplitMix64(seed: 3)
        let layer = Dropout(probability: 0.5)
        let x = Tensor.ones([1000])
        let trained = try layer(x, using: &generator)
        #expect(trained.scalars.contains(0))
        layer.setTraining(false)
        #expect(try layer(x, using: &generator).scalars == x.scalars)
    }
}
