import MusicSSLTestSupport
import Testing

@Suite("Softmax and log-softmax")
struct SoftmaxTests {
    @Test("softmax rows sum to one and match hand-computed values")
    func values() throws {
        let x = try Tensor(shape: [2, 3], scalars: [0, 1, 2, 5, 5, 5])
        let y = try x.softmax()
        let e: [Float] = [1, 2.718_281_8, 7.389_056]
        let total = e.reduce(0, +)
        let expected = try Tensor(
            shape: [2, 3], scalars: e.map { $0 / total } + [1 / 3, 1 / 3, 1 / 3])
        #expect(y.isClose(to: expected, absoluteTolerance: 1e-6))
        let logY = try x.logSoftmax()
        #expect(logY.isClose(to: expected.log(), absoluteTolerance: 1e-6))
    }

    @Test("minus infinity gets exactly zero probability")
    func negativeInfinity() throws {
        let x = try Tensor(shape: [1, 3], scalars: [0, -.infinity, 0])
        #expect(try x.softmax().scalars == [0.5, 0, 0.5])
    }

    @Test("huge logits stay finite")
    func largeLogits() throws {
        let x = try Tensor(shape: [1, 3], scalars: [1000, 0, -1000])
        #expect(try x.softmax().scalars.allSatisfy { $0.isFinite })
        let logY = try x.logSoftmax().scalars
        #expect(logY[0] == 0 && logY[2] == -2000)
    }

    @Test("softmax along a middle axis equals softmax of the transposed last axis")
    func middleAxis() throws {
        var generator = SplitMix64(seed: 3)
        let x = Tensor.randomNormal([2, 5, 3], using: &generator)
        let direct = try x.softmax(alongAxis: 1)
        let viaLast = try x.transposed(1, 2).softmax().transposed(1, 2)
        #expect(direct.maximumDifference(to: viaLast) < 1e-6)
        let logDirect = try x.logSoftmax(alongAxis: -2)
        let logViaLast = try x.transposed(1, 2).logSoftmax().transposed(1, 2)
        #expect(logDirect.maximumDifference(to: logViaLast) < 1e-6)
    }

    @Test("gradients match finite differences along the last and a middle axis")
    func gradients() throws {
        var generator = SplitMix64(seed: 4)
        let x = Tensor.randomNormal([2, 3, 4], using: &generator)
        let check = GradientCheck()
        for axis in [-1, 1, 0] {
            #expect(try check.check([x]) { try $0[0].softmax(alongAxis: axis) }.maximumError < 1e-2)
            #expect(
                try check.check([x]) { try $0[0].logSoftmax(alongAxis: axis) }.maximumError < 1e-2)
        }
    }

    @Test("an out-of-range axis or a scalar throws")
    func invalidAxis() throws {
        #expect(throws: TensorError.self) { try Tensor.zeros([2, 3]).softmax(alongAxis: 2) }
        #expect(throws: TensorError.self) { try Tensor(scalar: 1).logSoftmax() }
    }
}
