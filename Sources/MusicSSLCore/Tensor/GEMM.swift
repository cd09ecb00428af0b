import CBLAS
import Foundation

/// Row-major single-precision GEMM, C = alpha · op(A) · op(B) + beta · C, through OpenBLAS.
///
/// Legend: op(A) is M×K, op(B) is K×N, C is M×N; `lda`, `ldb`, `ldc` are row strides.
@inline(__always)
func gemm(
    transposeA: Bool, transposeB: Bool, M: Int, N: Int, K: Int,
    alpha: Float = 1, _ A: UnsafePointer<Float>, lda: Int, _ B: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, _ C: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard M > 0, N > 0 else { return }
    guard K > 0 else {
        // op(A)·op(B) is all zeros; only the beta term remains.
        for row in 0..<M {
            for column in 0..<N { C[row * ldc + column] = beta == 0 ? 0 : beta * C[row * ldc + column] }
        }
        return
    }
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(M), Int32(N), Int32(K), alpha, A, Int32(lda), B, Int32(ldb), beta, C, Int32(ldc))
}

/// Settings of the BLAS library MusicSSL links (OpenBLAS).
public enum BLAS {
    /// Threads OpenBLAS uses for one GEMM.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(newValue)) }
    }

    /// OpenBLAS's build description, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH … Cooperlake`.
    public static var configuration: String { String(cString: openblas_get_config()) }

    private static let singleThreadedLock = NSLock()
    nonisolated(unsafe) private static var singleThreadedSections = 0
    nonisolated(unsafe) private static var threadCountOutsideSections = 1

    /// Runs `body` with OpenBLAS single-threaded, for callers that run many small GEMMs on
    /// threads of their own.
    ///
    /// OpenBLAS's thread count is process-wide, so sections that overlap (on several threads, or
    /// nested) share one switch: the first to enter sets 1 and the last to leave restores the
    /// count it found. GEMMs other threads run meanwhile are single-threaded too.
    public static func withSingleThreadedGEMM<Result>(_ body: () throws -> Result) rethrows -> Result {
        singleThreadedLock.lock()
        if singleThreadedSections == 0 {
            threadCountOutsideSections = threadCount
            threadCount = 1
        }
        singleThreadedSections += 1
        singleThreadedLock.unlock()
        defer {
            singleThreadedLock.lock()
            singleThreadedSections -= 1
            if singleThreadedSections == 0 { threadCount = threadCountOutsideSections }
            singleThreadedLock.unlock()
        }
        return try body()
    }

    /// The thread count OpenBLAS has outside single-threaded sections: ``threadCount`` when none
    /// is open, else the count the last section to leave will restore.
    static var threadCountOutsideSingleThreadedSections: Int {
        singleThreadedLock.lock()
        defer { singleThreadedLock.unlock() }
        return singleThreadedSections == 0 ? threadCount : threadCountOutsideSections
    }

    /// The kernel family OpenBLAS loaded, e.g. `Haswell` (AVX2) or `Cooperlake` (AVX-512).
    ///
    /// OpenBLAS picks it once, when the library loads, from the CPU or from the environment
    /// variable `OPENBLAS_CORETYPE`; it cannot change while the process runs.
    public static var coreName: String { String(cString: openblas_get_corename()) }
}
