import MusicSSLTestSupport
import Testing

@Suite("Broadcasting arithmetic")
struct ArithmeticTests {
    @Test("broadcast add matches hand-computed values")
    func broadcastAdd() throws {
        let a = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor([10, 20, 30])
        #expect(try (a + b).scalars == [11, 22, 33, 14, 25, 36])
        let column = try Tensor(shape: [2, 1], scalars: [100, 200])
        #expect(try (a + column).scalars == [101, 102, 103, 204, 205, 206])
    }

    @Test("incompatible shapes throw a message naming both shapes")
    func incompatibleShapes() throws {
        let a = Tensor.zeros([2, 3]), b = Tensor.zeros([4])
        #expect(throws: TensorError.self) { try a + b }
        do { _ = try a * b } catch let error as TensorError {
            #expect(error.description.contains("[2, 3]") && error.description.contains("[4]"))
        }
    }

    @Test("gradients of broadcasting binary ops match finite differences")
    func binaryGradients() throws {
        var generator = SplitMix64(seed: 1)
        let a = Tensor.randomNormal([2, 3, 4], using: &generator)
        let b = Tensor.randomUniform([3, 1], lowerBound: 0.5, upperBound: 2, using: &generator)
        let check = GradientCheck()
        #expect(try check.check([a, b]) { try $0[0] + $0[1] }.maximumError < 1e-2)
        #expect(try check.check([a, b]) { try $0[0] - $0[1] }.maximumError < 1e-2)
        #expect(try check.check([a, b]) { try $0[0] * $0[1] }.maximumError < 1e-2)
        #expect(try check.check([a, b]) { try $0[0] / $0[1] }.maximumError < 1e-2)
        #expect(try check.check([a, b]) { try Tensor.maximum($0[0], $0[1]) }.maximumError < 1e-2)
        #expect(try check.check([a, b]) { try Tensor.minimum($0[0], $0[1]) }.maximumError < 1e-2)
    }

    @Test("maximum and minimum pick elementwise with broadcasting")
    func extrema() throws {
        let a = try Tensor(shape: [2, 2], scalars: [1, 5, -3, 2])
        let b = Tensor([0, 3])
        #expect(try Tensor.maximum(a, b).scalars == [1, 5, 0, 3])
        #expect(try Tensor.minimum(a, b).scalars == [0, 3, -3, 2])
    }
}
