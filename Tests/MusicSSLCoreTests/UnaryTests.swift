import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Elementwise functions")
struct UnaryTests {
    let check = GradientCheck()

    func input(_ shape: [Int] = [2, 5], seed: UInt64 = 11) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor.randomNormal(shape, using: &generator)
    }

    @Test("vectorised exp and erf match libm")
    func vectorMath() {
        var worstExp: Float = 0, worstErf: Float = 0
        for i in -4000...4000 {
            let x = Float(i) / 100
            worstExp = max(worstExp, abs(vectorExp(x) - Foundation.exp(x)) / Foundation.exp(x))
            worstErf = max(worstErf, abs(vectorErf(x / 8) - Foundation.erf(x / 8)))
        }
        #expect(worstExp < 5e-7, "relative exp error \(worstExp)")
        #expect(worstErf < 5e-7, "absolute erf error \(worstErf)")
        #expect(vectorExp(-200) == 0 || vectorExp(-200) < 1e-37)
    }

    @Test("GELU is the exact erf form")
    func geluValues() throws {
        let x = Tensor([-3, -1, 0, 0.5, 2])
        let expected = x.scalars.map { $0 * 0.5 * (1 + Foundation.erf($0 / Float(2).squareRoot())) }
        #expect(zip(x.gelu().scalars, expected).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test("gradients of unary functions match finite differences")
    func gradients() throws {
        let x = input()
        let positive = x.abs() + 0.5
        let functions: [(String, Tensor, (Tensor) throws -> Tensor)] = [
            ("exp", x, { $0.exp() }), ("log", positive, { $0.log() }),
            ("sqrt", positive, { $0.squareRoot() }), ("square", x, { $0.squared() }),
            ("pow", positive, { $0.pow(1.5) }), ("tanh", x, { $0.tanh() }),
            ("sigmoid", x, { $0.sigmoid() }), ("relu", x, { $0.relu() }),
            ("gelu", x, { $0.gelu() }), ("negate", x, { -$0 }),
            ("clamp", x, { $0.clamped(lowerBound: -0.5, upperBound: 0.5) }),
            ("abs", x, { $0.abs() }),
            ("scalar ops", x, { ((($0 + 1) * 2 - 3) / 4) }),
        ]
        for (name, value, function) in functions {
            let report = try check.check([value]) { try function($0[0]) }
            #expect(report.maximumError < 1e-2, "\(name): \(report)")
        }
    }
}
