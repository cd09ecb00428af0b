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
/// Buffers are kept per exact element count, up to ``limitBytes`` in all. When a returned buffer
/// does not fit, buffers of the sizes used longest ago make room for it, so that a process that
/// moves on to other shapes (another model, another clip length) does not keep a pool full of
/// sizes it no longer asks for while every new size goes back to `malloc`.
public final class BufferPool: @unchecked Sendable {
    /// The process-wide pool every ``TensorStorage`` uses.
    public static let shared = BufferPool()

    /// Most bytes kept cached for reuse; buffers beyond it are freed. Default 4 GiB.
    public var limitBytes: Int {
        get { lock.withLock { limit } }
        set { lock.withLock { limit = newValue; trimLocked() } }
    }

    /// Buffers this large and larger are backed by transparent huge pages where the kernel
    /// offers them on request (`madvise` mode): activations and GEMM operands of megabytes are
    /// read with strides, and in a virtual machine each TLB miss costs a two-level page walk
    /// (Documentation/Benchmarks.md, "What changed for this table", has the measurement).
    static let hugePageBytes = 2 << 20

    /// A fresh 64-byte-aligned block; from `hugePageBytes` up, aligned to a huge page and
    /// advised to use huge pages for every whole huge page it spans.
    private static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        guard bytes >= hugePageBytes else {
            return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: hugePageBytes)
        #if os(Linux)
            // A hint: where the kernel refuses (THP off), the pages stay 4 KiB.
            _ = madvise(raw, bytes & ~(hugePageBytes - 1), MADV_HUGEPAGE)
        #endif
        return raw
    }

    private let lock = NSLock()
    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    /// For each size with cached buffers, when it was last taken or given (a counter).
    private var lastUse: [Int: UInt64] = [:]
    private var clock: UInt64 = 0
    private var cachedBytes = 0
    private var limit = 4 << 30

    /// Bytes currently cached (held for reuse, not in any tensor).
    public var cachedByteCount: Int { lock.withLock { cachedBytes } }

    func take(capacity: Int) -> UnsafeMutablePointer<Float> {
        let key = Swift.max(capacity, 1)
        let reused: UnsafeMutablePointer<Float>? = lock.withLock {
            guard free[key] != nil else { return nil }
            return popLocked(key)
        }
        if let reused { return reused }
        return Self.allocate(bytes: key * MemoryLayout<Float>.stride)
            .bindMemory(to: Float.self, capacity: key)
    }

    func give(_ pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        let key = Swift.max(capacity, 1)
        let bytes = key * MemoryLayout<Float>.stride
        let evicted: [UnsafeMutablePointer<Float>] = lock.withLock {
            guard bytes <= limit else { return [pointer] }
            var evicted: [UnsafeMutablePointer<Float>] = []
            while cachedBytes + bytes > limit, let stalest = stalestSizeLocked(excluding: key) {
                evicted.append(popLocked(stalest))
            }
            guard cachedBytes + bytes <= limit else { return evicted + [pointer] }
            free[key, default: []].append(pointer)
            cachedBytes += bytes
            clock &+= 1
            lastUse[key] = clock
            return evicted
        }
        for buffer in evicted { UnsafeMutableRawPointer(buffer).deallocate() }
    }

    /// The cached size used longest ago, other than `key`.
    private func stalestSizeLocked(excluding key: Int) -> Int? {
        free.keys.filter { $0 != key }.min { (lastUse[$0] ?? 0) < (lastUse[$1] ?? 0) }
    }

    /// Removes one cached buffer of `key` elements (there is one) from the pool and returns it.
    private func popLocked(_ key: Int) -> UnsafeMutablePointer<Float> {
        let pointer = free[key]!.removeLast()
        if free[key]!.isEmpty {
            free[key] = nil
            lastUse[key] = nil
        }
        cachedBytes -= key * MemoryLayout<Float>.stride
        return pointer
    }

    /// Frees every cached buffer.
    public func drain() {
        lock.withLock {
            for (_, pointers) in free {
                for pointer in pointers { UnsafeMutableRawPointer(pointer).deallocate() }
            }
            free = [:]
            lastUse = [:]
            cachedBytes = 0
        }
    }

    private func trimLocked() {
        while cachedBytes > limit, let stalest = stalestSizeLocked(excluding: -1) {
            UnsafeMutableRawPointer(popLocked(stalest)).deallocate()
        }
    }
}
