import MusicSSLTestSupport
import Testing

@Suite("Reverse-mode autodiff")
struct AutodiffTests {
    @Test("a shared subexpression receives the sum of both paths")
    func diamond() throws {
        let x = try Tensor(shape: [3], scalars: [1, 2, 3]).requiringGradient()
        let y = x.squared()
        let z = try (y * x + y).sum()  // x³ + x², derivative 3x² + 2x
        try z.backward()
        #expect(x.gradient?.scalars == [5, 16, 33])
    }

    @Test("gradients accumulate across backward passes until zeroed")
    func accumulation() throws {
        let parameter = Parameter(Tensor([1, 2]))
        for _ in 0..<2 { try (parameter.tensor * 3).sum().backward() }
        #expect(parameter.gradient?.scalars == [6, 6])
        parameter.zeroGradient()
        #expect(parameter.gradient == nil)
    }

    @Test("noGrad records nothing and frozen parameters get no gradient")
    func noGradScope() throws {
        let parameter = Parameter(Tensor([1, 2]))
        let y = try noGrad { try (parameter.tensor * 2).sum() }
        #expect(!y.requiresGradient)
        #expect(throws: TensorError.self) { try y.backward() }
        parameter.isTrainable = false
        #expect(!(parameter.tensor * 2).requiresGradient)
    }

    @Test("a released graph refuses a second backward unless retained")
    func releasedGraph() throws {
        let x = Tensor([1, 2]).requiringGradient()
        let y = try x.squared().sum()
        try y.backward(retainingGraph: true)
        try y.backward()
        #expect(x.gradient?.scalars == [4, 8])
        #expect(throws: TensorError.self) { try y.backward() }
    }

    @Test("a non-scalar output needs a seed of its own shape")
    func seeds() throws {
        let x = Tensor([1, 2]).requiringGradient()
        let y = x * 3
        #expect(throws: TensorError.self) { try y.backward() }
        #expect(throws: TensorError.self) { try y.backward(Tensor([1])) }
        try y.backward(Tensor([1, 10]))
        #expect(x.gradient?.scalars == [3, 30])
    }

    @Test("a deep chain back-propagates without recursion limits")
    func deepChain() throws {
        let x = Tensor([1]).requiringGradient()
        var y = x
        for _ in 0..<20_000 { y = y + 0.001 }
        try y.sum().backward()
        #expect(x.gradient?.scalars == [1])
    }
}
