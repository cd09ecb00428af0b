import Foundation

/// The process-wide cache of ``SincResamplingKernel``s, one per reduced rate pair and filter.
///
/// Extraction converts thousands of files from a handful of rates, so each kernel is built once;
/// past ``capacity`` kernels the cache starts over rather than grow without bound.
final class SincResamplingKernelCache: @unchecked Sendable {
    /// What determines a kernel: the reduced rates and the filter parameters.
    struct Key: Hashable {
        let inputStride: Int
        let phaseCount: Int
        let lowpassFilterWidth: Int
        let rolloff: Double
        let window: SincResampler.Window
        let precision: SincResampler.KernelPrecision
    }

    static let shared = SincResamplingKernelCache()

    /// Kernels kept before the cache is emptied.
    let capacity = 32

    private let lock = NSLock()
    private var kernels: [Key: SincResamplingKernel] = [:]

    /// The kernel for `key`, built outside the lock when missing.
    func kernel(for key: Key) -> SincResamplingKernel {
        lock.lock()
        let cached = kernels[key]
        lock.unlock()
        if let cached { return cached }
        let built = SincResamplingKernel(
            inputStride: key.inputStride, phaseCount: key.phaseCount,
            lowpassFilterWidth: key.lowpassFilterWidth, rolloff: key.rolloff, window: key.window,
            precision: key.precision)
        lock.lock()
        defer { lock.unlock() }
        if kernels.count >= capacity { kernels.removeAll() }
        kernels[key] = built
        return built
    }
}
