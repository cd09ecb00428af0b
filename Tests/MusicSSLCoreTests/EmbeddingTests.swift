import MusicSSLTestSupport
import Testing

@Suite("Embedding lookup")
struct EmbeddingTests {
    @Test("looks up rows and scatters gradients, adding repeated indices")
    func lookupAndScatter() throws {
        let table = try Tensor(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21]).requiringGradient()
        let rows = try embedding(table, indices: [2, 0, 2])
        #expect(rows.shape == [3, 2])
        #expect(rows.scalars == [20, 21, 0, 1, 20, 21])
        try rows.backward(try Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(table.gradient?.scalars == [3, 4, 0, 0, 6, 8])
    }

    @Test("gradient matches finite differences")
    func gradient() throws {
        var generator = SplitMix64(seed: 31)
        let table = Tensor.randomNormal([4, 3], using: &generator)
        let report = try GradientCheck().check([table]) {
            try embedding($0[0], indices: [1, 3, 1, 0])
        }
        #expect(report.maximumError < 1e-2)
    }

    @Test("an out-of-range index throws")
    func outOfRange() throws {
        #expect(throws: TensorError.self) { try embedding(Tensor.zeros([3, 2]), indices: [3]) }
        #expect(throws: TensorError.self) { try embedding(Tensor.zeros([3, 2]), indices: [-1]) }
    }
}
