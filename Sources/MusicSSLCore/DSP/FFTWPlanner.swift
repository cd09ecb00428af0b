import CFFTW
import Foundation

/// FFTW's planner, serialised and cached.
///
/// FFTW's planner is not thread-safe (its plan execution with new arrays is), so every plan is
/// made under one lock and kept for the life of the process: a plan per transform size.
enum FFTWPlanner {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var realForward: [Int: RealForwardPlan] = [:]

    /// The real-to-complex plan of `size` (≥ 1), made on first use.
    static func realForwardPlan(size: Int) throws -> RealForwardPlan {
        lock.lock()
        defer { lock.unlock() }
        if let plan = realForward[size] { return plan }
        let buffers = try RealFFTBuffers(size: size)
        guard
            let plan = fftwf_plan_dft_r2c_1d(
                Int32(size), buffers.input, buffers.complexOutput, UInt32(FFTW_ESTIMATE))
        else {
            throw TensorError("RealFFT", "FFTW could not plan a real transform of size \(size)")
        }
        let made = RealForwardPlan(size: size, plan: plan)
        realForward[size] = made
        return made
    }
}

/// A cached FFTW plan for real-to-complex transforms of one size; never destroyed.
final class RealForwardPlan: @unchecked Sendable {
    let size: Int
    private let plan: fftwf_plan

    init(size: Int, plan: fftwf_plan) {
        self.size = size
        self.plan = plan
    }

    /// Transforms `buffers.input` into `buffers.output`; safe to call from several threads at
    /// once with different buffers.
    @inline(__always)
    func execute(_ buffers: RealFFTBuffers) {
        fftwf_execute_dft_r2c(plan, buffers.input, buffers.complexOutput)
    }
}

/// SIMD-aligned scratch for one real transform, from `fftwf_malloc` so that every set of buffers
/// has the alignment the plans were made with.
final class RealFFTBuffers {
    /// `size` real samples to transform.
    let input: UnsafeMutablePointer<Float>
    /// `size / 2 + 1` complex bins, interleaved real and imaginary parts.
    let output: UnsafeMutablePointer<Float>
    let size: Int

    init(size: Int) throws {
        let bins = size / 2 + 1
        guard size > 0, let rawInput = fftwf_malloc(size * MemoryLayout<Float>.stride) else {
            throw TensorError("RealFFT", "cannot allocate buffers for a transform of size \(size)")
        }
        guard let rawOutput = fftwf_malloc(2 * bins * MemoryLayout<Float>.stride) else {
            fftwf_free(rawInput)
            throw TensorError("RealFFT", "cannot allocate buffers for a transform of size \(size)")
        }
        self.size = size
        input = rawInput.bindMemory(to: Float.self, capacity: size)
        output = rawOutput.bindMemory(to: Float.self, capacity: 2 * bins)
    }

    /// The output as FFTW's complex type (a `(Float, Float)` tuple, layout-compatible with two
    /// floats).
    var complexOutput: UnsafeMutablePointer<fftwf_complex> {
        UnsafeMutableRawPointer(output).assumingMemoryBound(to: fftwf_complex.self)
    }

    deinit {
        fftwf_free(input)
        fftwf_free(output)
    }
}

extension RealForwardPlan {
    /// Splits `rows` transforms into parallel chunks, handing each chunk its own buffers; `body`
    /// fills `buffers.input`, calls ``execute(_:)`` and reads `buffers.output` for each row of
    /// its range.
    ///
    /// - Parameter cost: elements of work per row, for ``parallelChunks(_:cost:_:)``.
    func forEachChunk(
        rows: Int, cost: Int, _ body: (Range<Int>, RealFFTBuffers) -> Void
    ) throws {
        let size = self.size
        let failure = AllocationFailure()
        parallelChunks(rows, cost: cost) { range in
            guard let buffers = try? RealFFTBuffers(size: size) else {
                failure.record()
                return
            }
            body(range, buffers)
        }
        if failure.happened {
            throw TensorError("RealFFT", "cannot allocate buffers for a transform of size \(size)")
        }
    }
}

/// Remembers, across threads, that some chunk could not allocate its buffers.
private final class AllocationFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded = false

    func record() {
        lock.lock()
        recorded = true
        lock.unlock()
    }

    var happened: Bool {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}
