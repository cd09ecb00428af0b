import MusicSSLTestSupport

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

    /// Runs `op` on the named inputs, back-propagates the stored upstream gradient, and returns
    /// the largest absolute difference to the reference for `output` and each `grad_<input>`.
    func maximumDifferences(
        inputs names: [String], _ op: ([Tensor]) throws -> Tensor
    ) throws -> [String: Float] {
        let leaves = try names.map { try tensor($0).requiringGradient() }
        let output = try op(leaves)
        try output.backward(tensor("upstream"))
        var differences = ["output": output.maximumDifference(to: try tensor("output"))]
        for (name, leaf) in zip(names, leaves) {
            let reference = try tensor("grad_\(name)")
            differences["grad_\(name)"] = leaf.gradient?.maximumDifference(to: reference) ?? .infinity
        }
        print("[\(self.name)] max |Swift − PyTorch|:", differences.sorted { $0.key < $1.key })
        return differences
    }
}
