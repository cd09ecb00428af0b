import Foundation
import Testing

@testable import MusicSSLCore

@Suite("Thread settings under concurrency")
struct ParallelismTests {
    @Test("a thread-count scope is seen by its own task only")
    func scopedThreadCount() async {
        let processWide = Parallelism.threadCount
        Parallelism.withThreadCount(3) {
            #expect(Parallelism.threadCount == 3)
            Parallelism.withThreadCount(0) { #expect(Parallelism.threadCount == 1) }
            #expect(Parallelism.threadCount == 3)
        }
        #expect(Parallelism.threadCount == processWide)
        // A task running beside a scope keeps the process-wide count.
        await withTaskGroup(of: Int.self) { group in
            group.addTask {
                Parallelism.withThreadCount(processWide + 5) {
                    Thread.sleep(forTimeInterval: 0.05)
                    return Parallelism.threadCount
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(20))
                return Parallelism.threadCount
            }
            let seen = Set(await group.reduce(into: [Int]()) { $0.append($1) })
            #expect(seen == [processWide, processWide + 5])
        }
    }

    @Test("overlapping attention calls leave OpenBLAS's thread count as they found it")
    func singleThreadedSectionsRestore() throws {
        // Other tests may be inside attention too, so compare the count sections restore.
        let before = BLAS.threadCountOutsideSingleThreadedSections
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            var generator = SplitMix64(seed: UInt64(worker))
            for _ in 0..<5 {
                let q = Tensor.randomNormal([1, 4, 64, 16], using: &generator)
                _ = try? scaledDotProductAttention(query: q, key: q, value: q, using: &generator)
            }
        }
        #expect(BLAS.threadCountOutsideSingleThreadedSections == before)
        let nested = BLAS.withSingleThreadedGEMM {
            BLAS.withSingleThreadedGEMM { BLAS.threadCount }
        }
        #expect(nested == 1)
        #expect(BLAS.threadCountOutsideSingleThreadedSections == before)
    }
}
