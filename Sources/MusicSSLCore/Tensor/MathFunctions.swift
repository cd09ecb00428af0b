#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Single-precision libm entry points used by the kernels, named once so call sites stay short.
@inline(__always) func _logf(_ x: Float) -> Float { logf(x) }
@inline(__always) func _expf(_ x: Float) -> Float { expf(x) }
@inline(__always) func _cosf(_ x: Float) -> Float { cosf(x) }
@inline(__always) func _sinf(_ x: Float) -> Float { sinf(x) }
@inline(__always) func _erff(_ x: Float) -> Float { erff(x) }
@inline(__always) func _tanhf(_ x: Float) -> Float { tanhf(x) }
@inline(__always) func _powf(_ x: Float, _ y: Float) -> Float { powf(x, y) }
@inline(__always) func _log1pf(_ x: Float) -> Float { log1pf(x) }
