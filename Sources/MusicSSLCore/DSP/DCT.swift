import Foundation

/// The orthonormal type-II discrete cosine transform, as scipy `dct(type=2, norm="ortho")`.
///
/// y[k] = s(k) Σₙ x[n] cos(π k (2n + 1) / 2N), with s(0) = √(1/N) and s(k) = √(2/N) otherwise.
/// Kaldi's `ComputeDctMatrix` (used by its MFCC) is the same matrix: torchaudio builds it with
/// `create_dct(N, N, "ortho")` and then sets the first basis vector to √(1/N), which is already
/// its value. MFCCs keep the first `outputCount` coefficients.
public enum DCT {
    /// The transform as a matrix that right-multiplies rows: `y = x · matrix`.
    ///
    /// - Parameters:
    ///   - inputCount: N, the length of each transformed row.
    ///   - outputCount: how many coefficients to keep, 1...N.
    /// - Returns: [inputCount, outputCount] (torchaudio `create_dct(outputCount, inputCount,
    ///   "ortho")`).
    /// - Throws: ``TensorError`` when the counts are out of range.
    public static func typeIIMatrix(inputCount: Int, outputCount: Int) throws -> Tensor {
        guard inputCount > 0, (1...inputCount).contains(outputCount) else {
            throw TensorError(
                "DCT", "need 1 ≤ outputCount ≤ inputCount, got \(outputCount) and \(inputCount)")
        }
        let n = Double(inputCount)
        return Tensor.filling([inputCount, outputCount]) { out in
            for i in 0..<inputCount {
                for k in 0..<outputCount {
                    let scale = k == 0 ? (1 / n).squareRoot() : (2 / n).squareRoot()
                    out[i * outputCount + k] = Float(
                        scale * cos(Double.pi / n * (Double(i) + 0.5) * Double(k)))
                }
            }
        }
    }

    /// The orthonormal DCT-II of each row along the last axis, truncated to `outputCount`.
    ///
    /// - Parameters:
    ///   - x: [..., N]
    ///   - outputCount: coefficients kept; `nil` keeps all N.
    /// - Returns: [..., outputCount]
    /// - Throws: ``TensorError`` when `x` is a scalar or `outputCount` is out of range.
    public static func typeII(_ x: Tensor, outputCount: Int? = nil) throws -> Tensor {
        guard let n = x.shape.last else {
            throw TensorError("DCT", "expected [..., N], got a scalar")
        }
        let kept = outputCount ?? n
        let matrix = try typeIIMatrix(inputCount: n, outputCount: kept)
        let rows = n == 0 ? 0 : x.count / n
        return Tensor.filling(Array(x.shape.dropLast()) + [kept]) { out in
            gemm(
                transposeA: false, transposeB: false, M: rows, N: kept, K: n, x.base, lda: n,
                matrix.base, ldb: kept, out, ldc: kept)
        }
    }
}
