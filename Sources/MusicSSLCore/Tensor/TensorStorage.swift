import Foundation

/// A 64-byte-aligned block of `Float`s that tensors share; returned to ``BufferPool`` on release.
///
/// Storage is reference counted; ``Tensor`` copies on write when a storage is shared.
public final class TensorStorage: @unchecked Sendable {
    /// First element. Aligned to 64 bytes.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of `Float`s the block holds.
    public let capacity: Int

    /// Allocates `capacity` floats with undefined contents (from the pool when one fits).
    public init(uninitializedCapacity capacity: Int) {
        self.capacity = capacity
        self.pointer = BufferPool.shared.take(capacity: capacity)
    }

    /// Allocates `capacity` floats set to zero.
    public convenience init(zeroedCapacity capacity: Int) {
        self.init(uninitializedCapacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    deinit {
        BufferPool.shared.give(pointer, capacity: capacity)
    }
}

/// Recycles tensor buffers so that a training step, which allocates the same sizes every step,
/// does not go back to `malloc` (and the kernel's page faults) for each op.
///
/// Buffers are kept per exact element count, up to ``limitBytes`` in all.
public final class BufferPool: @unchecked Sendable {
    /// The process-wide pool every ``TensorStorage`` uses.
    public static let shared = BufferPool()

    /// Most bytes kept cached for reuse; buffers beyond it are freed. Default 4 GiB.
    public var limitBytes: Int {
        get { lock.withLock { limit } }
        set { lock.withLock { limit = newValue; trimLocked() } }
    }

    private let lock = NSLock()
    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var cachedBytes = 0
    private var limit = 4 << 30

    /// Bytes currently cached (held for reuse, not in any tensor).
    public var cachedByteCount: Int { lock.withLock { cachedBytes } }

    func take(capacity: Int) -> UnsafeMutablePointer<Float> {
        let key = Swift.max(capacity, 1)
        let reused: UnsafeMutablePointer<Float>? = lock.withLock {
            guard let pointer = free[key]?.popLast() else { return nil }
            cachedBytes -= key * MemoryLayout<Float>.stride
            return pointer
        }
        if let reused { return reused }
        return UnsafeMutableRawPointer.allocate(
            byteCount: key * MemoryLayout<Float>.stride, alignment: 64
        ).bindMemory(to: Float.self, capacity: key)
    }

    func give(_ pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        let key = Swift.max(capacity, 1)
        let bytes = key * MemoryLayout<Float>.stride
        let kept: Bool = lock.withLock {
            guard cachedBytes + bytes <= limit else { return false }
            free[key, default: []].append(pointer)
            cachedBytes += bytes
            return true
        }
        if !kept { UnsafeMutableRawPointer(pointer).deallocate() }
    }

    /// Frees every cached buffer.
    public func drain() {
        lock.withLock {
            for (_, pointers) in free {
                for pointer in pointers { UnsafeMutableRawPointer(pointer).deallocate() }
            }
            free = [:]
            cachedBytes = 0
        }
    }

    private func trimLocked() {
        while cachedBytes > limit, let key = free.keys.first, var list = free[key] {
            if let pointer = list.popLast() {
                UnsafeMutableRawPointer(pointer).deallocate()
                cachedBytes -= key * MemoryLayout<Float>.stride
            }
            free[key] = list.isEmpty ? nil : list
        }
    }
}
