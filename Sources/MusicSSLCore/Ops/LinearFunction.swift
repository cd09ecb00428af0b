// The affine map of a Linear layer as one GEMM per pass: the bias is written into the output
// first and the product accumulated onto it (beta = 1), so no separate broadcast add is needed.

/// `x · weightᵀ + bias`, as `torch.nn.functional.linear`.
///
/// - Parameters:
///   - x: `[..., inputDimensions]`
///   - weight: `[outputDimensions, inputDimensions]` (PyTorch layout)
///   - bias: `[outputDimensions]`, or `nil`
/// - Returns: `[..., outputDimensions]`
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
    guard weight.rank == 2, x.rank >= 1, x.shape[x.rank - 1] == weight.shape[1] else {
        throw TensorError("linear", "input \(x.shape) does not match weight \(weight.shape) ([out, in])")
    }
    let (outputs, inputs) = (weight.shape[0], weight.shape[1])
    if let bias, bias.shape != [outputs] {
        throw TensorError("linear", "bias \(bias.shape) does not match weight \(weight.shape)")
    }
    let rows = x.count / Swift.max(inputs, 1)
    let outShape = Array(x.shape.dropLast()) + [outputs]
    let out = Tensor.filling(outShape) { c in
        if let bias {
            for row in 0..<rows { (c + row &* outputs).update(from: bias.base, count: outputs) }
        }
        gemm(transposeA: false, transposeB: true, M: rows, N: outputs, K: inputs,
             x.base, lda: inputs, weight.base, ldb: inputs, beta: bias == nil ? 0 : 1, c, ldc: outputs)
    }
    let inputsToRecord = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.recording("linear", out, inputs: inputsToRecord) { g, needs in
        var gradients: [Tensor?] = [nil, nil]
        if needs[0] {
            gradients[0] = Tensor.filling(x.shape) { dx in
                gemm(transposeA: false, transposeB: false, M: rows, N: inputs, K: outputs,
                     g.base, lda: outputs, weight.base, ldb: inputs, dx, ldc: inputs)
            }
        }
        if needs[1] {
            gradients[1] = Tensor.filling(weight.shape) { dw in
                gemm(transposeA: true, transposeB: false, M: outputs, N: inputs, K: rows,
                     g.base, lda: outputs, x.base, ldb: inputs, dw, ldc: inputs)
            }
        }
        if bias != nil {
            gradients.append(needs[2] ? try g.reshaped(to: [rows, outputs]).sumKernel(first: 0, last: 0).reshaped(to: [outputs]) : nil)
        }
        return gradients
    }
}
