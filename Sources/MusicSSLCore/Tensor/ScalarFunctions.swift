// Scalar functions as small structs. Kernels are generic over them, so each kernel is
// specialised for its function and the loop vectorises; a closure captured by the parallel
// chunk closure would instead be called indirectly for every element.

/// A function of one float, applied elementwise by ``Tensor/map(_:)``.
protocol UnaryScalarFunction {
    func callAsFunction(_ x: Float) -> Float
}

/// A function of two floats, applied elementwise by the broadcasting and zip kernels.
protocol BinaryScalarFunction {
    func callAsFunction(_ x: Float, _ y: Float) -> Float
}

// MARK: - Arithmetic

struct Add: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x + y }
}

struct Subtract: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x - y }
}

struct Multiply: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x * y }
}

struct Divide: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x / y }
}

struct Maximum: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x >= y ? x : y }
}

struct Minimum: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x <= y ? x : y }
}

/// 1 where the first operand wins a maximum (ties go to it), else 0.
struct FirstIsMaximum: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x >= y ? 1 : 0 }
}

/// 1 where the first operand wins a minimum (ties go to it), else 0.
struct FirstIsMinimum: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x <= y ? 1 : 0 }
}

/// The second operand (a broadcast copy).
struct Second: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { y }
}

struct Negate: UnaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { -x }
}

struct AddScalar: UnaryScalarFunction {
    let scalar: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x + scalar }
}

struct MultiplyScalar: UnaryScalarFunction {
    let scalar: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x * scalar }
}

// MARK: - Elementwise functions and their derivatives (upstream gradient first)

struct Exponential: UnaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { vectorExp(x) }
}

struct Logarithm: UnaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { _logf(x) }
}

struct SquareRoot: UnaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x.squareRoot() }
}

/// d√x: upstream · 0.5 / √x, given the output √x.
struct SquareRootBackward: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ g: Float, _ root: Float) -> Float { g * 0.5 / root }
}

struct Square: UnaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x * x }
}

struct SquareBackward: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { 2 * g * x }
}

struct AbsoluteValue: UnaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { Swift.abs(x) }
}

/// d|x|: upstream · sign(x), 0 at 0 as PyTorch.
struct AbsoluteValueBackward: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : (x < 0 ? -g : 0) }
}

struct Power: UnaryScalarFunction {
    let exponent: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float { _powf(x, exponent) }
}

struct PowerBackward: BinaryScalarFunction {
    let exponent: Float
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { g * exponent * _powf(x, exponent - 1) }
}

struct HyperbolicTangent: UnaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { _tanhf(x) }
}

/// d tanh: upstream · (1 − y²), given the output y.
struct HyperbolicTangentBackward: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * (1 - y * y) }
}

struct Sigmoid: UnaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { 1 / (1 + vectorExp(-x)) }
}

/// dσ: upstream · y(1 − y), given the output y.
struct SigmoidBackward: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { g * y * (1 - y) }
}

struct ReLU: UnaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : 0 }
}

/// dReLU: upstream where x > 0, else 0 (0 at 0, as PyTorch).
struct ReLUBackward: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : 0 }
}

/// Exact GELU, x · Φ(x) = x/2 · (1 + erf(x/√2)).
struct GELU: UnaryScalarFunction {
    @inline(__always) func callAsFunction(_ x: Float) -> Float { x * 0.5 * (1 + vectorErf(x * 0.707_106_77)) }
}

/// dGELU: upstream · (Φ(x) + x φ(x)), φ the standard normal density.
struct GELUBackward: BinaryScalarFunction {
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float {
        let cdf = 0.5 * (1 + vectorErf(x * 0.707_106_77))
        let pdf = 0.398_942_28 * vectorExp(-0.5 * x * x)
        return g * (cdf + x * pdf)
    }
}

struct Clamp: UnaryScalarFunction {
    let lowerBound: Float, upperBound: Float
    @inline(__always) func callAsFunction(_ x: Float) -> Float {
        let low = x < lowerBound ? lowerBound : x
        return low > upperBound ? upperBound : low
    }
}

/// dclamp: upstream inside [lowerBound, upperBound], else 0.
struct ClampBackward: BinaryScalarFunction {
    let lowerBound: Float, upperBound: Float
    @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float {
        x >= lowerBound && x <= upperBound ? g : 0
    }
}
