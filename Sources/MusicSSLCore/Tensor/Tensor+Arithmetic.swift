// Broadcasting arithmetic. Each operator's pullback sits in its body and sums the gradient
// back down to each operand's shape.

extension Tensor {
    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try broadcastingMap(a, b, operation: "add", Add())
        return recording("add", out, inputs: [a, b]) { g, needs in
            [needs[0] ? try g.reducedSum(toShape: a.shape) : nil,
             needs[1] ? try g.reducedSum(toShape: b.shape) : nil]
        }
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try broadcastingMap(a, b, operation: "subtract", Subtract())
        return recording("subtract", out, inputs: [a, b]) { g, needs in
            [needs[0] ? try g.reducedSum(toShape: a.shape) : nil,
             needs[1] ? try g.negated().reducedSum(toShape: b.shape) : nil]
        }
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try broadcastingMap(a, b, operation: "multiply", Multiply())
        return recording("multiply", out, inputs: [a, b]) { g, needs in
            [needs[0] ? try (g * b.detached()).reducedSum(toShape: a.shape) : nil,
             needs[1] ? try (g * a.detached()).reducedSum(toShape: b.shape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        let out = try broadcastingMap(a, b, operation: "divide", Divide())
        return recording("divide", out, inputs: [a, b]) { g, needs in
            let b = b.detached()
            return [
                needs[0] ? try (g / b).reducedSum(toShape: a.shape) : nil,
                needs[1] ? try (g * out.detached() / b).negated().reducedSum(toShape: b.shape) : nil,
            ]
        }
    }

    /// Elementwise maximum with broadcasting; the gradient goes to `a` where `a >= b`.
    public static func maximum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let out = try broadcastingMap(a, b, operation: "maximum", Maximum())
        return recording("maximum", out, inputs: [a, b]) { g, needs in
            let pickA = try broadcastingMap(a, b, operation: "maximum", FirstIsMaximum())
            return [
                needs[0] ? try (g * pickA).reducedSum(toShape: a.shape) : nil,
                needs[1] ? try (g * (1 - pickA)).reducedSum(toShape: b.shape) : nil,
            ]
        }
    }

    /// Elementwise minimum with broadcasting; the gradient goes to `a` where `a <= b`.
    public static func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let out = try broadcastingMap(a, b, operation: "minimum", Minimum())
        return recording("minimum", out, inputs: [a, b]) { g, needs in
            let pickA = try broadcastingMap(a, b, operation: "minimum", FirstIsMinimum())
            return [
                needs[0] ? try (g * pickA).reducedSum(toShape: a.shape) : nil,
                needs[1] ? try (g * (1 - pickA)).reducedSum(toShape: b.shape) : nil,
            ]
        }
    }

    /// The negation `-x`.
    public func negated() -> Tensor {
        let out = map(Negate())
        return Tensor.recording("negate", out, inputs: [self]) { g, _ in [g.negated()] }
    }

    /// `-x`.
    public static prefix func - (x: Tensor) -> Tensor { x.negated() }

    /// Adds a scalar to every element.
    public static func + (a: Tensor, s: Float) -> Tensor {
        let out = a.map(AddScalar(scalar: s))
        return recording("addScalar", out, inputs: [a]) { g, _ in [g] }
    }

    /// Adds a tensor to a scalar.
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }

    /// Subtracts a scalar from every element.
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }

    /// Subtracts every element from a scalar.
    public static func - (s: Float, a: Tensor) -> Tensor { a.negated() + s }

    /// Multiplies every element by a scalar.
    public static func * (a: Tensor, s: Float) -> Tensor {
        let out = a.map(MultiplyScalar(scalar: s))
        return recording("multiplyScalar", out, inputs: [a]) { g, _ in [g * s] }
    }

    /// Multiplies a scalar by a tensor.
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }

    /// Divides every element by a scalar.
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }
}
