import Dispatch
import Foundation

/// Loads waveforms one item ahead on a background thread: while the caller works on item i,
/// item i + 1 is decoded, so decoding and resampling overlap the model's forward passes.
///
/// Results must be taken in order (`waveform(at: 0)`, `waveform(at: 1)`, …); each is held only
/// until it is taken.
final class WaveformPrefetch<Item: Sendable>: @unchecked Sendable {
    private let items: [Item]
    private let load: @Sendable (Item) throws -> [Float]
    private let queue = DispatchQueue(label: "musicssl.waveform-prefetch")
    private let lock = NSLock()
    private var results: [Int: Result<[Float], Error>] = [:]
    private var ready: [Int: DispatchSemaphore] = [:]

    init(items: [Item], load: @escaping @Sendable (Item) throws -> [Float]) {
        self.items = items
        self.load = load
        if !items.isEmpty { schedule(0) }
    }

    private func schedule(_ index: Int) {
        let semaphore = DispatchSemaphore(value: 0)
        lock.withLock { ready[index] = semaphore }
        queue.async { [self] in
            let result = Result { try load(items[index]) }
            lock.withLock { results[index] = result }
            semaphore.signal()
        }
    }

    /// The waveform of item `index` (waiting for it if needed), starting the next one's load.
    func waveform(at index: Int) throws -> [Float] {
        guard let semaphore = lock.withLock({ ready[index] }) else {
            preconditionFailure("WaveformPrefetch: item \(index) taken out of order")
        }
        if index + 1 < items.count { schedule(index + 1) }
        semaphore.wait()
        let result = lock.withLock { () -> Result<[Float], Error>? in
            ready[index] = nil
            return results.removeValue(forKey: index)
        }
        guard let result else {
            preconditionFailure("WaveformPrefetch: no result for item \(index)")
        }
        return try result.get()
    }
}
