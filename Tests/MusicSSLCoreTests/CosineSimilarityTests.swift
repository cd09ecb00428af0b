import MusicSSLTestSupport
import Testing

@Suite("Cosine similarity")
struct CosineSimilarityTests {
    @Test("cosine of hand-picked vectors")
    func values() throws {
        let a = try Tensor(shape: [3, 2], scalars: [1, 0, 1, 1, 0, 0])
        let b = try Tensor(shape: [3, 2], scalars: [2, 0, -1, -1, 3, 4])
        let c = try cosineSimilarity(a, b)
        #expect(c.shape == [3])
        #expect(c.isClose(to: Tensor([1, -1, 0]), absoluteTolerance: 1e-6))
    }

    @Test("the broadcast grid [N, 1, D] × [1, K, D] equals pairwise calls")
    func gridMatchesPairs() throws {
        var generator = SplitMix64(seed: 21)
        let a = Tensor.randomNormal([3, 1, 5], using: &generator)
        let b = Tensor.randomNormal([1, 4, 5], using: &generator)
        let grid = try cosineSimilarity(a, b)
        #expect(grid.shape == [3, 4])
        for i in 0..<3 {
            for j in 0..<4 {
                let single = try cosineSimilarity(
                    a.sliced(alongAxis: 0, i..<(i + 1)), b.sliced(alongAxis: 1, j..<(j + 1)))
                #expect(abs(try single.item() - grid.scalars[i * 4 + j]) < 1e-6)
            }
        }
    }

    @Test("gradients match finite differences on the grid, general broadcast and a middle axis")
    func gradients() throws {
        var generator = SplitMix64(seed: 22)
        let check = GradientCheck()
        let a = Tensor.randomNormal([3, 1, 4], using: &generator)
        let b = Tensor.randomNormal([1, 2, 4], using: &generator)
        #expect(try check.check([a, b]) { try cosineSimilarity($0[0], $0[1]) }.maximumError < 1e-2)
        let c = Tensor.randomNormal([2, 3, 4], using: &generator)
        let d = Tensor.randomNormal([3, 4], using: &generator)
        #expect(try check.check([c, d]) { try cosineSimilarity($0[0], $0[1]) }.maximumError < 1e-2)
        #expect(
            try check.check([c, c * 0.5 + 1]) { try cosineSimilarity($0[0], $0[1], alongAxis: 1) }
                .maximumError < 1e-2)
    }

    @Test("a zero vector gives 0, not NaN")
    func zeroVector() throws {
        let c = try cosineSimilarity(Tensor.zeros([1, 3]), Tensor.ones([1, 3]))
        #expect(try c.item() == 0)
    }

    @Test("shapes that do not broadcast throw")
    func mismatch() throws {
        #expect(throws: TensorError.self) {
            try cosineSimilarity(Tensor.zeros([2, 3]), Tensor.zeros([4, 3]))
        }
    }
}
