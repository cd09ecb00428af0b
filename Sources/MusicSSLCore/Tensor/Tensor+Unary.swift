// Elementwise functions of one tensor, each with its pullback.

extension Tensor {
    /// e^x elementwise.
    public func exp() -> Tensor {
        let out = map(vectorExp)
        return Tensor.recording("exp", out, inputs: [self]) { g, _ in [g.zipMap(out, *)] }
    }

    /// Natural logarithm elementwise.
    public func log() -> Tensor {
        let out = map(_logf)
        return Tensor.recording("log", out, inputs: [self]) { g, _ in [g.zipMap(self, /)] }
    }

    /// Square root elementwise.
    public func squareRoot() -> Tensor {
        let out = map { $0.squareRoot() }
        return Tensor.recording("sqrt", out, inputs: [self]) { g, _ in
            [g.zipMap(out) { $0 * 0.5 / $1 }]
        }
    }

    /// x² elementwise.
    public func squared() -> Tensor {
        let out = map { $0 * $0 }
        return Tensor.recording("square", out, inputs: [self]) { g, _ in
            [g.zipMap(self) { 2 * $0 * $1 }]
        }
    }

    /// |x| elementwise (gradient 0 at 0, as PyTorch).
    public func abs() -> Tensor {
        let out = map { Swift.abs($0) }
        return Tensor.recording("abs", out, inputs: [self]) { g, _ in
            [g.zipMap(self) { $1 > 0 ? $0 : ($1 < 0 ? -$0 : 0) }]
        }
    }

    /// x^`exponent` elementwise.
    public func pow(_ exponent: Float) -> Tensor {
        let out = map { _powf($0, exponent) }
        return Tensor.recording("pow", out, inputs: [self]) { g, _ in
            [g.zipMap(self) { $0 * exponent * _powf($1, exponent - 1) }]
        }
    }

    /// Hyperbolic tangent elementwise.
    public func tanh() -> Tensor {
        let out = map(_tanhf)
        return Tensor.recording("tanh", out, inputs: [self]) { g, _ in
            [g.zipMap(out) { $0 * (1 - $1 * $1) }]
        }
    }

    /// Logistic sigmoid 1 / (1 + e^−x) elementwise.
    public func sigmoid() -> Tensor {
        let out = map { 1 / (1 + vectorExp(-$0)) }
        return Tensor.recording("sigmoid", out, inputs: [self]) { g, _ in
            [g.zipMap(out) { $0 * $1 * (1 - $1) }]
        }
    }

    /// Swift.max(x, 0) elementwise (gradient 0 at 0, as PyTorch).
    public func relu() -> Tensor {
        let out = map { Swift.max($0, 0) }
        return Tensor.recording("relu", out, inputs: [self]) { g, _ in
            [g.zipMap(self) { $1 > 0 ? $0 : 0 }]
        }
    }

    /// Exact GELU, x · Φ(x) = x/2 · (1 + erf(x/√2)), as PyTorch's `F.gelu` default and fairseq's
    /// "gelu" activation.
    public func gelu() -> Tensor {
        let out = map { $0 * 0.5 * (1 + vectorErf($0 * 0.707_106_77)) }
        return Tensor.recording("gelu", out, inputs: [self]) { g, _ in
            // d/dx = Φ(x) + x φ(x), φ the standard normal density.
            [g.zipMap(self) { upstream, x in
                let cdf = 0.5 * (1 + vectorErf(x * 0.707_106_77))
                let pdf = 0.398_942_28 * vectorExp(-0.5 * x * x)
                return upstream * (cdf + x * pdf)
            }]
        }
    }

    /// Clamps every element into [`lowerBound`, `upperBound`]; the gradient passes inside the range.
    public func clamped(lowerBound: Float = -.infinity, upperBound: Float = .infinity) -> Tensor {
        let out = map { Swift.min(Swift.max($0, lowerBound), upperBound) }
        return Tensor.recording("clamp", out, inputs: [self]) { g, _ in
            [g.zipMap(self) { $1 >= lowerBound && $1 <= upperBound ? $0 : 0 }]
        }
    }
}
