// Branch-free single-precision exp and erf that the compiler vectorises inside kernel loops,
// where a libm call per element would dominate (GELU, softmax, sigmoid over millions of values).

/// e^x to about 2 ulp (Cephes `expf` polynomial with a Cody–Waite range reduction).
@inline(__always)
public func vectorExp(_ value: Float) -> Float {
    let x = Swift.min(Swift.max(value, -87.33654), 88.72283)
    let n = (x * 1.442_695_04 + 0.5).rounded(.down)
    let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    let y = p * r * r + r + 1
    // 2ⁿ built from the bits of n + 1.5·2²³ (whose low mantissa bits hold n), because the
    // checked conversion Int32(n) traps on range and so would keep the loop from vectorising.
    let biased = (n + 12_582_912).bitPattern &- 0x4B40_0000 &+ 127
    return y * Float(bitPattern: biased << 23)
}

/// erf(x) to about 1e-7 absolute (the rational approximation Eigen uses for `erf` on floats).
@inline(__always)
public func vectorErf(_ value: Float) -> Float {
    let x = Swift.min(Swift.max(value, -4), 4)
    let x2 = x * x
    var p: Float = -2.726_142_25e-10
    p = p * x2 + 2.770_681_42e-08
    p = p * x2 + -2.101_024_02e-06
    p = p * x2 + -5.692_506_39e-05
    p = p * x2 + -7.349_906_30e-04
    p = p * x2 + -2.954_599_81e-03
    p = p * x2 + -1.609_603_33e-02
    var q: Float = -1.456_607_18e-05
    q = q * x2 + -2.133_740_55e-04
    q = q * x2 + -1.682_826_97e-03
    q = q * x2 + -7.373_329_17e-03
    q = q * x2 + -1.426_473_91e-02
    return x * p / q
}
