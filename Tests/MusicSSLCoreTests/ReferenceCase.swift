import MusicSSLTestSupport
import Testing

/// One PyTorch reference case of a fixture file: tensors stored as `<case>.<name>` holding the
/// inputs, a random `upstream` gradient, the `output`, and `grad_<input>` for every input.
struct ReferenceCase {
    /// The case's prefix in the fixture, e.g. `conv_grouped`.
    let name: String
    /// Every tensor of the fixture file.
    let tensors: [String: Tensor]

    /// The stored tensor `<case>.<key>`.
    func tensor(_ key: String) throws -> Tensor {
        guard let value = tensors["\(name).\(key)"] else {
            throw TensorError("ReferenceCase", "fixture has no tensor \(name).\(key)")
        }
        return value
    }

    /// Runs `op` on the named inputs, back-propagates the stored upstream gradient, and expects
    /// the output and every input's gradient within `tolerance` of the reference; prints the
    /// largest absolute differences.
    func expectParity(
        inputs names: [String], tolerance: Float,
        sourceLocation: SourceLocation = #_sourceLocation, _ op: ([Tensor]) throws -> Tensor
    ) throws {
        let leaves = try names.map { try tensor($0).requiringGradient() }
        let output = try op(leaves)
        try output.backward(tensor("upstream"))
        var compared = [("output", output, try tensor("output"))]
        for (input, leaf) in zip(names, leaves) {
            let gradient = leaf.gradient ?? Tensor.zeros([0])
            compared.append(("grad_\(input)", gradient, try tensor("grad_\(input)")))
        }
        var report: [String] = []
        for (key, actual, expected) in compared {
            expectClose(
                actual, expected, tolerance: tolerance, "\(name).\(key) vs torch",
                sourceLocation: sourceLocation)
            report.append("\(key) \(actual.maximumDifference(to: expected))")
        }
        print("[\(name)] max |Swift − PyTorch|: \(report.joined(separator: ", "))")
    }
}
