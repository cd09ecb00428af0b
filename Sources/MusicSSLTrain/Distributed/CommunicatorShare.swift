import Foundation

extension Communicator {
    /// This rank's part of `items` when the ranks split a list of independent work between them
    /// (`msl extract`, `msl benchmark`'s feature caches): the items at positions `rank`,
    /// `rank + size`, `rank + 2·size`, … in their order.
    ///
    /// Every item goes to exactly one rank, and the shares of all ranks together are `items`.
    /// Round robin rather than contiguous blocks, so that lists sorted by folder or length
    /// (slow items together) still give every rank a similar mix; shares differ in count by at
    /// most one. Every rank must pass the same list. A job of one gets all of `items`.
    ///
    /// ```swift
    /// for file in communicator.share(of: files) { try extract(file) }   // rank 1 of 3: files 1, 4, 7, …
    /// try communicator.barrier()
    /// ```
    public func share<Element>(of items: [Element]) -> [Element] {
        guard size > 1 else { return items }
        return Swift.stride(from: rank, to: items.count, by: size).map { items[$0] }
    }
}
