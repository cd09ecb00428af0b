import MusicSSLCore
import Testing

/// Expects `actual` to have `expected`'s shape and every element within `tolerance` of it,
/// reporting the largest absolute difference either way.
///
/// - Parameters:
///   - comment: What is compared, e.g. `"layer norm gradient vs torch"`; starts the message.
///   - sourceLocation: Where a failure is reported; defaults to the caller.
public func expectClose(
    _ actual: Tensor, _ expected: Tensor, tolerance: Float, _ comment: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.shape == expected.shape else {
        Issue.record(
            "\(comment): shape \(actual.shape) differs from expected \(expected.shape)",
            sourceLocation: sourceLocation)
        return
    }
    let difference = actual.maximumDifference(to: expected)
    #expect(
        difference <= tolerance,
        "\(comment): max difference \(difference) exceeds tolerance \(tolerance)",
        sourceLocation: sourceLocation)
}
