import MusicSSLTestSupport
import Testing

@Suite("Layout and indexing")
struct LayoutTests {
    let x = try! Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
    let check = GradientCheck()

    @Test("reshape, permute, slice, concatenate and stack move the right elements")
    func values() throws {
        #expect(try x.reshaped(to: [6, -1]).shape == [6, 4])
        #expect(throws: TensorError.self) { try x.reshaped(to: [5, -1]) }
        let permuted = try x.permuted([2, 0, 1])
        #expect(permuted.shape == [4, 2, 3])
        #expect(permuted.scalars.prefix(6) == [0, 4, 8, 12, 16, 20])
        #expect(try x.transposed(0, 1).shape == [3, 2, 4])
        #expect(try x.sliced(alongAxis: 1, 1..<2).scalars == [4, 5, 6, 7, 16, 17, 18, 19])
        #expect(try x.sliced(alongAxis: 0, 1..<2).scalars.first == 12)
        #expect(throws: TensorError.self) { try x.sliced(alongAxis: 2, 3..<5) }
        let joined = try Tensor.concatenate([x, x.sliced(alongAxis: 2, 0..<1)], alongAxis: 2)
        #expect(joined.shape == [2, 3, 5])
        #expect(joined.scalars.prefix(5) == [0, 1, 2, 3, 0])
        #expect(try Tensor.stack([x, x], alongAxis: 1).shape == [2, 2, 3, 4])
        #expect(try x.broadcast(to: [5, 2, 3, 4]).shape == [5, 2, 3, 4])
    }

    @Test("index select and masked row selection pick and replace frames")
    func indexing() throws {
        #expect(try x.indexSelect(alongAxis: 1, indices: [2, 0]).scalars.prefix(8) == [8, 9, 10, 11, 0, 1, 2, 3])
        #expect(throws: TensorError.self) { try x.indexSelect(alongAxis: 1, indices: [3]) }
        let mask = [true, false, false, false, true, false]
        let picked = try x.selectingRows(where: mask)
        #expect(picked.shape == [2, 4])
        #expect(picked.scalars == [0, 1, 2, 3, 16, 17, 18, 19])
        let restored = try Tensor.zeros(x.shape).scatteringRows(picked, where: mask)
        #expect(try restored.selectingRows(where: mask).scalars == picked.scalars)
        let replaced = try x.replacingRows(where: mask, with: Tensor([-1, -1, -1, -1]))
        #expect(replaced.scalars.prefix(8) == [-1, -1, -1, -1, 4, 5, 6, 7])
        #expect(throws: TensorError.self) { try x.selectingRows(where: [true, false, true, true]) }
    }

    @Test("gradients of layout and indexing ops match finite differences")
    func gradients() throws {
        var generator = SplitMix64(seed: 9)
        let a = Tensor.randomNormal([2, 3, 4], using: &generator)
        let row = Tensor.randomNormal([4], using: &generator)
        let rows = Tensor.randomNormal([2, 4], using: &generator)
        let mask = [false, true, false, true, false, false]
        let unary: [(String, (Tensor) throws -> Tensor)] = [
            ("reshape", { try $0.reshaped(to: [4, 6]) }), ("permute", { try $0.permuted([1, 2, 0]) }),
            ("slice", { try $0.sliced(alongAxis: 2, 1..<3) }), ("slice 0", { try $0.sliced(alongAxis: 0, 1..<2) }),
            ("broadcast", { try $0.broadcast(to: [3, 2, 3, 4]) }),
            ("indexSelect", { try $0.indexSelect(alongAxis: 2, indices: [3, 1, 1]) }),
            ("selectingRows", { try $0.selectingRows(where: mask) }),
            ("concatenate", { try Tensor.concatenate([$0, $0.squared()], alongAxis: 1) }),
            ("stack", { try Tensor.stack([$0, $0 * 2], alongAxis: 3) }),
        ]
        for (name, function) in unary {
            let report = try check.check([a]) { try function($0[0]) }
            #expect(report.maximumError < 1e-2, "\(name): \(report)")
        }
        #expect(try check.check([a, rows]) { try $0[0].scatteringRows($0[1], where: mask) }.maximumError < 1e-2)
        #expect(try check.check([a, row]) { try $0[0].replacingRows(where: mask, with: $0[1]) }.maximumError < 1e-2)
    }
}
