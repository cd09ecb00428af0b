import Foundation
import MusicSSLCore

/// The L2 norm of all gradients of `parameters` taken together, as one long vector.
///
/// Frozen parameters and parameters without a gradient are left out. Squares are summed in
/// Float32 blocks and the blocks in Double, so the norm of ~10⁸ gradients keeps its precision.
/// A NaN or infinite gradient gives a NaN or infinite norm.
public func globalGradientNorm(of parameters: [Parameter]) -> Float {
    var total: Double = 0
    for parameter in parameters where parameter.isTrainable {
        guard let gradient = parameter.gradient else { continue }
        total += gradient.withUnsafeBufferPointer(sumOfSquares)
    }
    return Float(total.squareRoot())
}

/// Scales the gradients of `parameters` so that their global L2 norm is at most `maximumNorm`,
/// as `torch.nn.utils.clip_grad_norm_` (fairseq `clip_norm`), and returns the norm before
/// clipping.
///
/// The scale is `maximumNorm / (norm + 1e-6)`, applied only when it is below 1. When the norm is
/// NaN or infinite the gradients are left as they are and that norm is returned, so the caller
/// can skip the step (torch would silently multiply every gradient by NaN).
///
/// - Parameters:
///   - parameters: frozen ones and ones without a gradient are ignored.
///   - maximumNorm: the largest norm allowed; must be positive.
/// - Returns: the global gradient norm before clipping.
/// - Throws: ``OptimizationError/invalidArgument(component:message:)`` for a maximum norm that is
///   not positive.
@discardableResult
public func clipGradientNorm(of parameters: [Parameter], maximumNorm: Float) throws -> Float {
    guard maximumNorm > 0 else {
        throw OptimizationError.invalidArgument(
            component: "clipGradientNorm",
            message: "maximumNorm must be positive, got \(maximumNorm)")
    }
    let norm = globalGradientNorm(of: parameters)
    guard norm.isFinite else { return norm }
    let scale = maximumNorm / (norm + 1e-6)
    if scale < 1 { try scaleGradients(of: parameters, by: scale) }
    return norm
}

/// Σ x² over `buffer`: eight Float32 lanes per 4096-element block, blocks summed in Double.
func sumOfSquares(_ buffer: UnsafeBufferPointer<Float>) -> Double {
    guard let base = buffer.baseAddress else { return 0 }
    let ranges = chunkRanges(buffer.count)
    let partials = UnsafeMutableBufferPointer<Double>.allocate(capacity: ranges.count)
    defer { partials.deallocate() }
    let sumRange = { (index: Int) in
        var total: Double = 0
        var start = ranges[index].lowerBound
        let end = ranges[index].upperBound
        while start < end {
            let blockEnd = Swift.min(start + 4096, end)
            var lanes = SIMD8<Float>()
            var i = start
            while i + 8 <= blockEnd {
                let x = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self)
                lanes.addProduct(x, x)
                i += 8
            }
            var block = lanes.sum()
            while i < blockEnd {
                block += base[i] * base[i]
                i += 1
            }
            total += Double(block)
            start = blockEnd
        }
        partials[index] = total
    }
    if ranges.count == 1 {
        sumRange(0)
    } else {
        DispatchQueue.concurrentPerform(iterations: ranges.count) { sumRange($0) }
    }
    return partials.reduce(0, +)
}
