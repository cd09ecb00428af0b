// Exact conversions from the 16-bit float formats to Float32, written out by hand because
// Swift's `Float16` is missing on Intel Macs.

/// The Float32 value of an IEEE 754 binary16 bit pattern: exact for every pattern, including
/// subnormals, signed zeros and infinities; NaNs keep their sign and payload.
@inline(__always)
func float32(fromHalfBits bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = UInt32(bits >> 10) & 0x1F
    let mantissa = UInt32(bits & 0x03FF)
    switch exponent {
    case 0x1F:
        // Infinity or NaN: widen the mantissa into the top of Float32's.
        return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
    case 0:
        // Zero or subnormal: mantissa × 2⁻²⁴, exact because mantissa < 2¹⁰.
        let magnitude = Float(mantissa) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    default:
        // Rebias the exponent from 15 to 127.
        return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }
}

/// The Float32 value of a bfloat16 bit pattern (the top half of a Float32), exact for all.
@inline(__always)
func float32(fromBFloat16Bits bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
}
