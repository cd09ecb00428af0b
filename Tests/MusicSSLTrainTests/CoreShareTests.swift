import Foundation
import Testing

@testable import MusicSSLTrain

@Suite("A rank's cores")
struct CoreShareTests {
    @Test("the affinity mask of /proc/self/status counts between 1 and the processor count")
    func allowedCores() throws {
        let allowed = try #require(MPICommunicator.allowedCoreCount(), "Linux has Cpus_allowed in /proc/self/status")
        #expect(allowed >= 1)
        #expect(allowed <= ProcessInfo.processInfo.processorCount)
    }
}
