// Elementwise functions of one tensor, each with its pullback. The scalar functions and their
// derivatives are in ScalarFunctions.swift.

extension Tensor {
    /// e^x elementwise.
    public func exp() -> Tensor {
        let out = map(Exponential())
        return Tensor.recording("exp", out, inputs: [self]) { g, _ in [g.zipMap(out, Multiply())] }
    }

    /// Natural logarithm elementwise.
    public func log() -> Tensor {
        let out = map(Logarithm())
        return Tensor.recording("log", out, inputs: [self]) { g, _ in [g.zipMap(self, Divide())] }
    }

    /// Square root elementwise.
    public func squareRoot() -> Tensor {
        let out = map(SquareRoot())
        return Tensor.recording("sqrt", out, inputs: [self]) { g, _ in [g.zipMap(out, SquareRootBackward())] }
    }

    /// x² elementwise.
    public func squared() -> Tensor {
        let out = map(Square())
        return Tensor.recording("square", out, inputs: [self]) { g, _ in [g.zipMap(self, SquareBackward())] }
    }

    /// |x| elementwise (gradient 0 at 0, as PyTorch).
    public func abs() -> Tensor {
        let out = map(AbsoluteValue())
        return Tensor.recording("abs", out, inputs: [self]) { g, _ in [g.zipMap(self, AbsoluteValueBackward())] }
    }

    /// x^`exponent` elementwise.
    public func pow(_ exponent: Float) -> Tensor {
        let out = map(Power(exponent: exponent))
        return Tensor.recording("pow", out, inputs: [self]) { g, _ in
            [g.zipMap(self, PowerBackward(exponent: exponent))]
        }
    }

    /// Hyperbolic tangent elementwise.
    public func tanh() -> Tensor {
        let out = map(HyperbolicTangent())
        return Tensor.recording("tanh", out, inputs: [self]) { g, _ in [g.zipMap(out, HyperbolicTangentBackward())] }
    }

    /// Logistic sigmoid 1 / (1 + e^−x) elementwise.
    public func sigmoid() -> Tensor {
        let out = map(Sigmoid())
        return Tensor.recording("sigmoid", out, inputs: [self]) { g, _ in [g.zipMap(out, SigmoidBackward())] }
    }

    /// max(x, 0) elementwise (gradient 0 at 0, as PyTorch).
    public func relu() -> Tensor {
        let out = map(ReLU())
        return Tensor.recording("relu", out, inputs: [self]) { g, _ in [g.zipMap(self, ReLUBackward())] }
    }

    /// Exact GELU, x · Φ(x) = x/2 · (1 + erf(x/√2)), as PyTorch's `F.gelu` default and fairseq's
    /// "gelu" activation.
    public func gelu() -> Tensor {
        let out = map(GELU())
        return Tensor.recording("gelu", out, inputs: [self]) { g, _ in [g.zipMap(self, GELUBackward())] }
    }

    /// Clamps every element into [`lowerBound`, `upperBound`]; the gradient passes inside the range.
    public func clamped(lowerBound: Float = -.infinity, upperBound: Float = .infinity) -> Tensor {
        let out = map(Clamp(lowerBound: lowerBound, upperBound: upperBound))
        return Tensor.recording("clamp", out, inputs: [self]) { g, _ in
            [g.zipMap(self, ClampBackward(lowerBound: lowerBound, upperBound: upperBound))]
        }
    }
}
