import MusicSSLTestSupport
import Testing

@Suite("Matrix products")
struct MatMulTests {
    /// Straightforward triple loop, the reference for the BLAS path.
    func naive(_ a: [Float], _ b: [Float], _ m: Int, _ n: Int, _ k: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for p in 0..<k { c[i * n + j] += a[i * k + p] * b[p * n + j] } } }
        return c
    }

    @Test("matmul, transposed operands and batch broadcasting agree with a naive product")
    func values() throws {
        var generator = SplitMix64(seed: 2)
        let a = Tensor.randomNormal([3, 4, 5], using: &generator)
        let b = Tensor.randomNormal([5, 6], using: &generator)
        let c = try matmul(a, b)
        #expect(c.shape == [3, 4, 6])
        let expected = naive(a.scalars, b.scalars, 12, 6, 5)
        #expect(zip(c.scalars, expected).allSatisfy { abs($0 - $1) < 1e-4 })
        let bt = try b.transposed()
        #expect(try matmul(a, bt, transposingB: true).isClose(to: c))
        let at = try a.transposed()
        #expect(try matmul(at, b, transposingA: true).isClose(to: c))
        let batchB = try Tensor.stack([b, b, b])
        #expect(try matmul(a, batchB).isClose(to: c))
        #expect(throws: TensorError.self) { try matmul(a, a) }
        #expect(throws: TensorError.self) { try matmul(Tensor([1]), b) }
    }

    @Test("gradients of matmul and linear match finite differences")
    func gradients() throws {
        var generator = SplitMix64(seed: 4)
        let a = Tensor.randomNormal([2, 3, 4], using: &generator)
        let b = Tensor.randomNormal([4, 5], using: &generator)
        let batched = Tensor.randomNormal([2, 5, 4], using: &generator)
        let bias = Tensor.randomNormal([5], using: &generator)
        let check = GradientCheck()
        #expect(try check.check([a, b]) { try matmul($0[0], $0[1]) }.maximumError < 1e-2)
        #expect(try check.check([a, batched]) { try matmul($0[0], $0[1], transposingB: true) }.maximumError < 1e-2)
        let d = Tensor.randomNormal([2, 4, 3], using: &generator)
        #expect(try check.check([d, a]) { try matmul($0[0], $0[1], transposingA: true, transposingB: true) }.maximumError < 1e-2)
        #expect(try check.check([a, b]) { try matmul($0[0].transposed(), $0[1], transposingA: true) }.maximumError < 1e-2)
        #expect(try check.check([a, batched, bias]) { try linear($0[0], weight: $0[1].sliced(alongAxis: 0, 0..<1).reshaped(to: [5, 4]), bias: $0[2]) }.maximumError < 1e-2)
        #expect(try check.check([a, batched]) { try linear($0[0], weight: $0[1].reshaped(to: [10, 4])) }.maximumError < 1e-2)
    }

    @Test("linear equals matmul with the transposed weight plus bias")
    func linearMatchesMatmul() throws {
        var generator = SplitMix64(seed: 8)
        let x = Tensor.randomNormal([2, 3, 4], using: &generator)
        let w = Tensor.randomNormal([6, 4], using: &generator)
        let bias = Tensor.randomNormal([6], using: &generator)
        #expect(try linear(x, weight: w, bias: bias).isClose(to: matmul(x, w, transposingB: true) + bias))
        #expect(throws: TensorError.self) { try linear(x, weight: w.transposed()) }
    }
}
