import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Elementwise and linear parity with PyTorch")
struct ElementwiseParityTests {
    /// Rounding of float64 references to float32 plus our vectorised erf/exp: measured maxima
    /// are about 5e-7 for GELU and 1e-6 for linear.
    static let tolerance: Float = 1e-5

    @Test("exact GELU and its derivative match torch over [-8, 8]")
    func gelu() throws {
        let fixture = try Fixture.load("elementwise", in: Bundle.module)
        let x = try #require(fixture["gelu.input"]).requiringGradient()
        let y = x.gelu()
        let upstream: Tensor = try #require(fixture["gelu.upstream"])
        try y.backward(upstream)
        expectClose(y, try #require(fixture["gelu.output"]), tolerance: Self.tolerance, "GELU")
        expectClose(try #require(x.gradient), try #require(fixture["gelu.input_grad"]), tolerance: Self.tolerance, "GELU gradient")
    }

    @Test("linear matches torch.nn.functional.linear in values and all gradients")
    func linearParity() throws {
        let fixture = try Fixture.load("elementwise", in: Bundle.module)
        let x = try #require(fixture["linear.input"]).requiringGradient()
        let w = try #require(fixture["linear.weight"]).requiringGradient()
        let b = try #require(fixture["linear.bias"]).requiringGradient()
        let y = try linear(x, weight: w, bias: b)
        let upstream: Tensor = try #require(fixture["linear.upstream"])
        try y.backward(upstream)
        expectClose(y, try #require(fixture["linear.output"]), tolerance: Self.tolerance, "linear")
        for (name, tensor) in [("input", x), ("weight", w), ("bias", b)] {
            expectClose(try #require(tensor.gradient), try #require(fixture["linear.\(name)_grad"]), tolerance: Self.tolerance, name)
        }
    }
}
