import Foundation
import MusicSSLTrain
import Testing

/// ``Communicator/share(of:)``: how ranks split a list of independent work.
@Suite("Communicator.share")
struct CommunicatorShareTests {
    /// A rank of a job of `size` with no collectives: enough for `share(of:)`.
    final class FixedRank: Communicator {
        let rank: Int
        let size: Int

        init(rank: Int, of size: Int) {
            self.rank = rank
            self.size = size
        }

        func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws {}
        func allReduceSum(_ values: inout [Double]) throws {}
        func allReduceMinimum(_ value: Int) throws -> Int { value }
        func allReduceMaximum(_ value: Int) throws -> Int { value }
        func broadcast(_ bytes: UnsafeMutableRawBufferPointer, from root: Int) throws {}
        func barrier() throws {}
        func abort(code: Int32) -> Never { fatalError("abort \(code)") }
    }

    @Test("ranks take every size-th item from their own index; the shares partition the list")
    func roundRobin() {
        let items = Array(0..<10)
        #expect(FixedRank(rank: 0, of: 3).share(of: items) == [0, 3, 6, 9])
        #expect(FixedRank(rank: 1, of: 3).share(of: items) == [1, 4, 7])
        #expect(FixedRank(rank: 2, of: 3).share(of: items) == [2, 5, 8])
        for size in 1...12 {
            let shares = (0..<size).map { FixedRank(rank: $0, of: size).share(of: items) }
            #expect(shares.flatMap { $0 }.sorted() == items, "size \(size)")
            let counts = shares.map(\.count)
            #expect(counts.max()! - counts.min()! <= 1, "size \(size)")
        }
    }

    @Test("a job of one keeps everything; ranks beyond the list get nothing")
    func edges() {
        #expect(SingleProcessCommunicator().share(of: ["a", "b"]) == ["a", "b"])
        #expect(FixedRank(rank: 3, of: 4).share(of: ["a", "b"]).isEmpty)
        #expect(FixedRank(rank: 0, of: 4).share(of: [String]()).isEmpty)
    }
}
