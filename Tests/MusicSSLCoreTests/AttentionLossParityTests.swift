import Foundation
import MusicSSLTestSupport
import Testing

/// Softmax, losses, cosine similarity and attention against PyTorch
/// (Tests/FixtureGenerators/attention_losses.py). Every gradient is of sum(output · upstream)
/// with a stored random upstream, or of the scalar loss. Measured max differences are noted
/// beside each tolerance.
@Suite("PyTorch parity of softmax, losses and attention")
struct AttentionLossParityTests {
    let fixture: [String: Tensor]

    init() throws {
        fixture = try Fixture.load("attention_losses", in: Bundle.module)
    }

    func tensor(_ name: String) throws -> Tensor {
        try #require(fixture[name], "attention_losses.safetensors has no '\(name)'")
    }

    /// Runs `op` on the fixture inputs `names` of `prefix` and compares its output and the
    /// gradient of every input with torch's.
    func compare(
        _ prefix: String, inputs names: [String], tolerance: Float,
        _ op: ([Tensor]) throws -> Tensor
    ) throws {
        let inputs = try names.map { try tensor("\(prefix)_\($0)").requiringGradient() }
        let output = try op(inputs)
        expectClose(
            output, try tensor("\(prefix)_output"), tolerance: tolerance, "\(prefix) output")
        if let upstream = fixture["\(prefix)_upstream"] {
            try output.backward(upstream)
        } else {
            try output.backward()
        }
        for (name, input) in zip(names, inputs) {
            let gradient = try #require(input.gradient, "\(prefix): no gradient for \(name)")
            expectClose(
                gradient, try tensor("\(prefix)_grad_\(name)"), tolerance: tolerance,
                "\(prefix) ∂\(name)")
        }
    }

    @Test("softmax and log-softmax match torch along the last axis and dim 1")
    func softmax() throws {
        // Measured: softmax ≤ 3e-8, log-softmax ≤ 4.8e-7 (values and gradients).
        try compare("softmax", inputs: ["x"], tolerance: 1e-5) { try $0[0].softmax() }
        try compare("log_softmax", inputs: ["x"], tolerance: 1e-5) { try $0[0].logSoftmax() }
        try compare("softmax_dim1", inputs: ["x"], tolerance: 1e-5) {
            try $0[0].softmax(alongAxis: 1)
        }
    }

    @Test("cross-entropy with ignored targets matches torch for mean and none")
    func crossEntropyParity() throws {
        // Measured: ≤ 2.4e-7 (values and gradients).
        let targets = try tensor("cross_entropy_targets").scalars.map { Int($0) }
        try compare("cross_entropy_mean", inputs: ["logits"], tolerance: 1e-5) {
            try crossEntropy(logits: $0[0], targets: targets)
        }
        try compare("cross_entropy_none", inputs: ["logits"], tolerance: 1e-5) {
            try crossEntropy(logits: $0[0], targets: targets, reduction: .none)
        }
    }

    @Test("BCE with logits, MSE and smooth L1 match torch with gradients for both operands")
    func elementwiseLosses() throws {
        // Measured: ≤ 4.8e-7 (MSE value); gradients ≤ 1.2e-7.
        try compare("bce", inputs: ["logits", "targets"], tolerance: 1e-5) {
            try binaryCrossEntropyWithLogits(logits: $0[0], targets: $0[1])
        }
        try compare("mse", inputs: ["prediction", "target"], tolerance: 1e-5) {
            try meanSquaredError($0[0], $0[1])
        }
        try compare("smooth_l1_beta1", inputs: ["prediction", "target"], tolerance: 1e-5) {
            try smoothL1Loss($0[0], $0[1], beta: 1)
        }
        try compare("smooth_l1_beta05", inputs: ["prediction", "target"], tolerance: 1e-5) {
            try smoothL1Loss($0[0], $0[1], beta: 0.5)
        }
    }

    @Test("cosine similarity of [3, 1, 8] and [1, 4, 8] matches torch")
    func cosine() throws {
        // Measured: ≤ 6e-8.
        try compare("cosine", inputs: ["a", "b"], tolerance: 1e-5) {
            try cosineSimilarity($0[0], $0[1])
        }
    }

    @Test("attention with a key padding mask matches torch's scaled_dot_product_attention")
    func attention() throws {
        // Measured: output and ∂q, ∂k ≤ 3e-7, ∂v ≤ 4.8e-7.
        let padded = try tensor("attention_padded").scalars.map { $0 != 0 }
        var generator = SplitMix64(seed: 0)
        try compare("attention", inputs: ["q", "k", "v"], tolerance: 1e-5) {
            try scaledDotProductAttention(
                query: $0[0], key: $0[1], value: $0[2], keyPaddingMask: padded, using: &generator)
        }
    }
}
