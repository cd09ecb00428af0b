import Foundation
import MusicSSLTestSupport
import Testing

@testable import MusicSSLCore

@Suite("Tensor storage and creation")
struct TensorTests {
    @Test("storage is 64-byte aligned")
    func alignment() {
        for count in [1, 3, 17, 1000, 4097] {
            let tensor = Tensor.zeros([count])
            tensor.withUnsafeBufferPointer { buffer in
                #expect(Int(bitPattern: buffer.baseAddress) % 64 == 0)
            }
        }
    }

    @Test("writes copy shared storage and leave the original unchanged")
    func copyOnWrite() throws {
        let original = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        var copy = original
        copy.withUnsafeMutableBufferPointer { $0[0] = 100 }
        #expect(original.scalars == [1, 2, 3, 4])
        #expect(copy.scalars == [100, 2, 3, 4])
        let view = try original.reshaped(to: [4])
        var written = view
        written.withUnsafeMutableBufferPointer { $0[3] = -1 }
        #expect(original.scalars == [1, 2, 3, 4])
    }

    @Test("element count mismatch and negative extents throw")
    func invalidCreation() {
        #expect(throws: TensorError.self) { try Tensor(shape: [2, 2], scalars: [1, 2, 3]) }
        #expect(throws: TensorError.self) { try Tensor(shape: [-1, 2], scalars: []) }
        #expect(throws: TensorError.self) { try Tensor.zeros([2]).item() }
    }

    @Test("seeded random tensors are reproducible and have the requested moments")
    func randomMoments() throws {
        var a = SplitMix64(seed: 3), b = SplitMix64(seed: 3)
        let x = Tensor.randomNormal([20_000], mean: 1, standardDeviation: 2, using: &a)
        #expect(x.scalars == Tensor.randomNormal([20_000], mean: 1, standardDeviation: 2, using: &b).scalars)
        #expect(abs(try x.mean().item() - 1) < 0.05)
        #expect(abs(try x.variance(alongAxes: [0]).item().squareRoot() - 2) < 0.05)
        let u = Tensor.randomUniform([20_000], lowerBound: -1, upperBound: 3, using: &a)
        #expect(u.scalars.allSatisfy { $0 >= -1 && $0 < 3 })
        #expect(abs(try u.mean().item() - 1) < 0.05)
    }

    @Test("generators save and resume exactly, and per-item streams are independent")
    func generatorState() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<5 { _ = generator.next() }
        var restored = try JSONDecoder().decode(
            SplitMix64.self, from: try JSONEncoder().encode(generator))
        #expect((0..<4).map { _ in restored.next() } == (0..<4).map { _ in generator.next() })

        func firstDraws(_ seed: UInt64, _ index: UInt64) -> [UInt64] {
            var stream = SplitMix64(seed: seed, index: index)
            return (0..<3).map { _ in stream.next() }
        }
        #expect(firstDraws(1, 10) == firstDraws(1, 10))
        let streams = (0..<100).map { firstDraws(1, UInt64($0)) }
        #expect(Set(streams.flatMap { $0 }).count == 300, "no stream repeats another's draws")
        #expect(firstDraws(2, 10) != firstDraws(1, 10))
    }

    @Test("the pool reuses buffers by size and keeps no more than its limit")
    func pooling() {
        // A pool of its own: the shared one is busy with the tests running beside this one.
        let pool = BufferPool()
        let first = pool.take(capacity: 1_000)
        pool.give(first, capacity: 1_000)
        #expect(pool.cachedByteCount == 4_000)
        #expect(pool.take(capacity: 1_000) == first)
        #expect(pool.cachedByteCount == 0)
        pool.give(first, capacity: 1_000)

        pool.limitBytes = 6_000
        let reused = pool.take(capacity: 1_000), fresh = pool.take(capacity: 1_000)
        #expect(reused == first && fresh != first)
        pool.give(reused, capacity: 1_000)
        pool.give(fresh, capacity: 1_000)
        #expect(pool.cachedByteCount == 4_000, "a buffer beyond the limit is freed, not kept")
        pool.limitBytes = 0
        #expect(pool.cachedByteCount == 0, "lowering the limit frees what no longer fits")
        let third = pool.take(capacity: 10)
        pool.give(third, capacity: 10)
        #expect(pool.cachedByteCount == 0)
    }

    @Test("a full pool makes room for a new size by freeing the sizes used longest ago")
    func poolEvictsStaleSizes() {
        let pool = BufferPool()
        pool.limitBytes = 12_000
        // Sizes 100, 200 and 300 floats (400, 800, 1200 bytes); 100 is given back last of the
        // three, so 200 is the stalest.
        let buffers = [200, 300, 100].map { (size: $0, pointer: pool.take(capacity: $0)) }
        for buffer in buffers { pool.give(buffer.pointer, capacity: buffer.size) }
        #expect(pool.cachedByteCount == 2_400)
        // 2,500 floats (10,000 bytes) need 400 bytes more than the limit leaves: 200 goes.
        let large = pool.take(capacity: 2_500)
        pool.give(large, capacity: 2_500)
        #expect(pool.cachedByteCount == 11_600)
        #expect(pool.take(capacity: 2_500) == large, "the new size is kept")
        #expect(pool.take(capacity: 100) == buffers[2].pointer)
        #expect(pool.take(capacity: 300) == buffers[1].pointer)
        #expect(pool.cachedByteCount == 0, "the stalest size was freed to make room")
        let larger = pool.take(capacity: 4_000)
        pool.give(larger, capacity: 4_000)
        #expect(pool.cachedByteCount == 0, "a buffer larger than the whole limit is never kept")
    }
}
