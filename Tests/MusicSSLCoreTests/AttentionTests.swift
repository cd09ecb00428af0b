import MusicSSLTestSupport
import Testing

@Suite("Scaled dot-product attention")
struct AttentionTests {
    /// softmax(scale·q·kᵀ + bias)·v from separate differentiable ops; bias is −∞ on padded keys.
    func reference(
        _ q: Tensor, _ k: Tensor, _ v: Tensor, padded: [Bool]?, scale: Float
    ) throws -> Tensor {
        var scores = try matmul(q, k, transposingB: true) * scale
        if let padded {
            let (B, T) = (q.shape[0], k.shape[2])
            let bias = try Tensor(
                shape: [B, 1, 1, T], scalars: padded.map { $0 ? -Float.infinity : 0 })
            scores = try scores + bias
        }
        return try matmul(scores.softmax(), v)
    }

    @Test("matches softmax(q·kᵀ·scale)·v built from separate ops, with a padding mask")
    func matchesComposition() throws {
        var generator = SplitMix64(seed: 51)
        let q = Tensor.randomNormal([2, 3, 5, 4], using: &generator)
        let k = Tensor.randomNormal([2, 3, 5, 4], using: &generator)
        let v = Tensor.randomNormal([2, 3, 5, 6], using: &generator)
        let padded = [false, false, false, true, true, false, false, false, false, false]
        let fused = try scaledDotProductAttention(
            query: q, key: k, value: v, keyPaddingMask: padded, using: &generator)
        let expected = try reference(q, k, v, padded: padded, scale: 0.5)
        #expect(fused.shape == [2, 3, 5, 6])
        #expect(fused.maximumDifference(to: expected) < 1e-5)
    }

    @Test("gradients match finite differences with a mask and a custom scale")
    func gradients() throws {
        var generator = SplitMix64(seed: 52)
        let q = Tensor.randomNormal([2, 2, 3, 4], using: &generator)
        let k = Tensor.randomNormal([2, 2, 5, 4], using: &generator)
        let v = Tensor.randomNormal([2, 2, 5, 3], using: &generator)
        let padded = [false, false, false, false, false, false, true, false, true, true]
        let report = try GradientCheck().check([q, k, v]) { inputs in
            try scaledDotProductAttention(
                query: inputs[0], key: inputs[1], value: inputs[2], keyPaddingMask: padded,
                scale: 0.7,
                using: &generator)
        }
        #expect(report.maximumError < 1e-2)
    }

    @Test("gradients match finite differences with dropout under a fixed seed")
    func dropoutGradients() throws {
        var generator = SplitMix64(seed: 53)
        let q = Tensor.randomNormal([1, 2, 4, 3], using: &generator)
        let k = Tensor.randomNormal([1, 2, 4, 3], using: &generator)
        let v = Tensor.randomNormal([1, 2, 4, 3], using: &generator)
        let report = try GradientCheck().check([q, k, v]) { inputs in
            var fixed = SplitMix64(seed: 54)
            return try scaledDotProductAttention(
                query: inputs[0], key: inputs[1], value: inputs[2], dropoutProbability: 0.3,
                using: &fixed)
        }
        #expect(report.maximumError < 1e-2)
    }

    @Test("dropout zeroes attention weights: p = 1 gives zeros, a fixed seed repeats")
    func dropoutBehaviour() throws {
        var generator = SplitMix64(seed: 55)
        let q = Tensor.randomNormal([1, 1, 6, 4], using: &generator)
        let all = try scaledDotProductAttention(
            query: q, key: q, value: q, dropoutProbability: 1, using: &generator)
        #expect(all.scalars.allSatisfy { $0 == 0 })
        var first = SplitMix64(seed: 56)
        var second = SplitMix64(seed: 56)
        let a = try scaledDotProductAttention(
            query: q, key: q, value: q, dropoutProbability: 0.5, using: &first)
        let b = try scaledDotProductAttention(
            query: q, key: q, value: q, dropoutProbability: 0.5, using: &second)
        let plain = try scaledDotProductAttention(query: q, key: q, value: q, using: &generator)
        #expect(a.scalars == b.scalars)
        #expect(a.maximumDifference(to: plain) > 1e-3)
    }

    @Test("a padded batch element gives the same output as running it alone")
    func paddedMatchesSingle() throws {
        var generator = SplitMix64(seed: 57)
        let (T, valid) = (7, 4)
        let q = Tensor.randomNormal([2, 2, T, 4], using: &generator)
        let k = Tensor.randomNormal([2, 2, T, 4], using: &generator)
        let v = Tensor.randomNormal([2, 2, T, 4], using: &generator)
        let padded = (0..<(2 * T)).map { $0 >= T + valid }
        let batch = try scaledDotProductAttention(
            query: q, key: k, value: v, keyPaddingMask: padded, using: &generator)
        func second(_ x: Tensor) throws -> Tensor {
            try x.sliced(alongAxis: 0, 1..<2).sliced(alongAxis: 2, 0..<valid)
        }
        let alone = try scaledDotProductAttention(
            query: second(q), key: second(k), value: second(v), using: &generator)
        #expect(try second(batch).maximumDifference(to: alone) < 1e-6)
    }

    @Test("an element whose keys are all padded outputs zeros and zero gradients, not NaN")
    func fullyMasked() throws {
        var generator = SplitMix64(seed: 58)
        let q = Tensor.randomNormal([2, 1, 3, 2], using: &generator).requiringGradient()
        let padded = [false, false, false, true, true, true]
        let out = try scaledDotProductAttention(
            query: q, key: q, value: q, keyPaddingMask: padded, using: &generator)
        #expect(out.scalars.allSatisfy { $0.isFinite })
        #expect(out.scalars[6...].allSatisfy { $0 == 0 })
        try out.backward(Tensor.ones(out.shape))
        let gradient = try #require(q.gradient).scalars
        #expect(gradient.allSatisfy { $0.isFinite })
        #expect(gradient[6...].allSatisfy { $0 == 0 })
    }

    @Test("invalid shapes, mask length or probability throw")
    func errors() throws {
        var generator = SplitMix64(seed: 59)
        let x = Tensor.zeros([1, 2, 3, 4])
        #expect(throws: TensorError.self) {
            try scaledDotProductAttention(
                query: x, key: Tensor.zeros([1, 2, 3, 5]), value: x, using: &generator)
        }
        #expect(throws: TensorError.self) {
            try scaledDotProductAttention(
                query: x, key: x, value: x, keyPaddingMask: [false], using: &generator)
        }
        #expect(throws: TensorError.self) {
            try scaledDotProductAttention(
                query: x, key: x, value: x, dropoutProbability: -0.1, using: &generator)
        }
        #expect(throws: TensorError.self) {
            try scaledDotProductAttention(
                query: Tensor.zeros([2, 3, 4]), key: x, value: x, using: &generator)
        }
    }
}
