import MusicSSLTestSupport
import Testing

@Suite("Reductions")
struct ReductionTests {
    let x = try! Tensor(shape: [2, 3, 2], scalars: (0..<12).map(Float.init))

    @Test("sum, mean and variance over axes match hand-computed values")
    func values() throws {
        #expect(try x.sum(alongAxes: [1]).scalars == [6, 9, 24, 27])
        #expect(try x.sum(alongAxes: [0, 2]).scalars == [14, 22, 30])
        #expect(try x.sum(alongAxes: [1], keepingDimensions: true).shape == [2, 1, 2])
        #expect(try x.sum().item() == 66)
        #expect(try x.mean(alongAxes: [-1]).scalars == [0.5, 2.5, 4.5, 6.5, 8.5, 10.5])
        #expect(try x.variance(alongAxes: [1]).scalars == [4, 4, 4, 4])
        #expect(try x.variance(alongAxes: [1], isUnbiased: false).scalars.map { ($0 * 3).rounded() } == [8, 8, 8, 8])
        #expect(try x.max(alongAxis: 1).scalars == [4, 5, 10, 11])
        #expect(try x.argmax(alongAxis: 2) == [1, 1, 1, 1, 1, 1])
        #expect(throws: TensorError.self) { try x.sum(alongAxes: [3]) }
    }

    @Test("long sums are accurate")
    func accuracy() throws {
        let ones = Tensor.ones([1_000_003])
        #expect(try ones.sum().item() == 1_000_003)
    }

    @Test("gradients of reductions match finite differences")
    func gradients() throws {
        var generator = SplitMix64(seed: 5)
        let input = Tensor.randomNormal([3, 4, 2], using: &generator)
        let check = GradientCheck()
        let functions: [(String, (Tensor) throws -> Tensor)] = [
            ("sum 1", { try $0.sum(alongAxes: [1]) }), ("sum 0,2", { try $0.sum(alongAxes: [0, 2], keepingDimensions: true) }),
            ("mean", { try $0.mean(alongAxes: [2]) }), ("mean all", { try $0.mean() }),
            ("variance", { try $0.variance(alongAxes: [1]) }), ("max", { try $0.max(alongAxis: 1) }),
        ]
        for (name, function) in functions {
            let report = try check.check([input]) { try function($0[0]) }
            #expect(report.maximumError < 1e-2, "\(name): \(report)")
        }
    }
}
