import Foundation
import MusicSSLTestSupport
import Testing

/// The channels-last convolution and instance norm the feature extractor runs, against the
/// channels-first ops (themselves proven against PyTorch) and PyTorch's own values.
@Suite("Channels-last convolution and instance norm")
struct ChannelsLastOpsTests {
    /// (frames, input channels, output channels, kernel, stride): the extractor's layer shapes in
    /// small (waveform layer, kernel 3 / stride 2, kernel 2 / stride 2) and the runs a kernel
    /// longer than twice its stride makes, a kernel shorter than its stride, and stride 1.
    static let shapes: [(Int, Int, Int, Int, Int)] = [
        (23, 1, 3, 10, 5), (17, 4, 6, 3, 2), (16, 4, 5, 2, 2), (19, 3, 2, 7, 2), (13, 2, 3, 2, 3),
        (9, 3, 4, 3, 1), (30, 3, 4, 5, 5),
    ]

    @Test("conv1dChannelsLast equals conv1d between transposes, values and gradients")
    func matchesChannelsFirst() throws {
        var generator = SplitMix64(seed: 31)
        for (frames, inputChannels, outputChannels, kernel, stride) in Self.shapes {
            let x = Tensor.randomNormal([2, frames, inputChannels], using: &generator)
            let w = Tensor.randomNormal([outputChannels, inputChannels, kernel], using: &generator)
            let upstreamShape = [2, (frames - kernel) / stride + 1, outputChannels]
            let upstream = Tensor.randomNormal(upstreamShape, using: &generator)
            func run(_ op: (Tensor, Tensor) throws -> Tensor) throws -> [Tensor] {
                let (xs, ws) = (x.requiringGradient(), w.requiringGradient())
                let y = try op(xs, ws)
                try (y * upstream).sum().backward()
                return [y, try #require(xs.gradient), try #require(ws.gradient)]
            }
            let ours = try run { try conv1dChannelsLast($0, weight: $1, stride: stride) }
            let reference = try run {
                try conv1d($0.transposed(1, 2), weight: $1, stride: stride).transposed(1, 2)
            }
            let label = "\(frames) frames × \(inputChannels) → \(outputChannels), kernel \(kernel), stride \(stride)"
            for (name, a, b) in zip3(["output", "input gradient", "weight gradient"], ours, reference) {
                #expect(a.shape == b.shape, "\(label): \(name)")
                #expect(a.isClose(to: b, absoluteTolerance: 1e-5), "\(label): \(name)")
            }
        }
    }

    @Test("conv1dChannelsLast matches PyTorch's conv1d on the waveform layer's shape")
    func matchesPyTorch() throws {
        let fixture = try Fixture.load("conv_norm", in: Bundle.module)
        try ReferenceCase(name: "conv_first", tensors: fixture).expectParity(
            inputs: ["input", "weight"], tolerance: ConvolutionTests.parityTolerance
        ) { try conv1dChannelsLast($0[0].transposed(1, 2), weight: $0[1], stride: 5).transposed(1, 2) }
    }

    @Test("conv1dChannelsLast gradients match finite differences")
    func finiteDifferences() throws {
        var generator = SplitMix64(seed: 32)
        for (frames, inputChannels, outputChannels, kernel, stride) in Self.shapes.prefix(4) {
            let x = Tensor.randomNormal([2, frames, inputChannels], using: &generator)
            let w = Tensor.randomNormal([outputChannels, inputChannels, kernel], using: &generator)
            let report = try GradientCheck().check([x, w]) {
                try conv1dChannelsLast($0[0], weight: $0[1], stride: stride)
            }
            #expect(report.maximumError < 1e-2, "kernel \(kernel), stride \(stride): \(report)")
        }
    }

    @Test("instanceNormChannelsLast equals groupNorm per channel between transposes, values and gradients")
    func instanceNormMatchesGroupNorm() throws {
        var generator = SplitMix64(seed: 33)
        // One example and several (chunked over frames or not), few and many frames, an offset
        // far from zero (the variance is taken about the mean, not as E[x²] − mean²).
        for (batch, frames, channels, offset) in [(1, 700, 70, 0), (3, 5, 4, 0), (2, 300, 9, 1000), (1, 1, 3, 0)] {
            let x = try Tensor.randomNormal([batch, frames, channels], using: &generator) + Float(offset)
            let w = Tensor.randomNormal([channels], using: &generator)
            let b = Tensor.randomNormal([channels], using: &generator)
            let upstream = Tensor.randomNormal([batch, frames, channels], using: &generator)
            func run(_ op: ([Tensor]) throws -> Tensor) throws -> [Tensor] {
                let inputs = [x, w, b].map { $0.requiringGradient() }
                try (op(inputs) * upstream).sum().backward()
                return [try op(inputs)] + (try inputs.map { try #require($0.gradient) })
            }
            let ours = try run { try instanceNormChannelsLast($0[0], weight: $0[1], bias: $0[2]) }
            let reference = try run {
                try groupNorm($0[0].transposed(1, 2), groupCount: channels, weight: $0[1], bias: $0[2])
                    .transposed(1, 2)
            }
            let label = "[\(batch), \(frames), \(channels)] + \(offset)"
            // Far from zero, x − mean keeps only Float's resolution at 1000 (6e-5) and the two
            // kernels sum in different orders.
            let relative: Float = offset == 0 ? 1e-4 : 1e-3
            for (name, a, c) in zip3(["output", "input gradient", "weight gradient", "bias gradient"], ours, reference) {
                #expect(a.isClose(to: c, absoluteTolerance: 1e-4, relativeTolerance: relative), "\(label): \(name)")
            }
        }
    }

    @Test("instanceNormChannelsLast gives the same bits on 1 and 2 threads (data-parallel ranks rely on it)")
    func instanceNormIndependentOfThreads() throws {
        var generator = SplitMix64(seed: 34)
        let x = Tensor.randomNormal([1, 5000, 16], using: &generator)
        let upstream = Tensor.randomNormal([1, 5000, 16], using: &generator)
        func run(threads: Int) throws -> [[Float]] {
            try Parallelism.withThreadCount(threads) {
                let input = x.requiringGradient()
                let y = try instanceNormChannelsLast(input)
                try (y * upstream).sum().backward()
                return [y.scalars, try #require(input.gradient).scalars]
            }
        }
        // 3 chunks of 16 channels: above Parallelism.minimumElementsPerThread, so 2 threads run.
        #expect(try run(threads: 1) == run(threads: 2))
    }

    @Test("instanceNormChannelsLast matches PyTorch's instance norm")
    func instanceNormMatchesPyTorch() throws {
        let fixture = try Fixture.load("conv_norm", in: Bundle.module)
        try ReferenceCase(name: "instance_norm_affine", tensors: fixture).expectParity(
            inputs: ["input", "weight", "bias"], tolerance: 1e-4
        ) { try instanceNormChannelsLast($0[0].transposed(1, 2), weight: $0[1], bias: $0[2]).transposed(1, 2) }
    }

    @Test("bad shapes throw errors naming them")
    func invalidArguments() throws {
        let x = Tensor.zeros([1, 8, 3])
        #expect(throws: TensorError.self) { try conv1dChannelsLast(x, weight: Tensor.zeros([2, 4, 3]), stride: 1) }
        #expect(throws: TensorError.self) { try conv1dChannelsLast(x, weight: Tensor.zeros([2, 3, 9]), stride: 1) }
        #expect(throws: TensorError.self) { try conv1dChannelsLast(x, weight: Tensor.zeros([2, 3, 3]), stride: 0) }
        #expect(throws: TensorError.self) { try instanceNormChannelsLast(x, weight: Tensor.zeros([4])) }
        #expect(throws: TensorError.self) { try instanceNormChannelsLast(Tensor.zeros([8, 3])) }
    }
}

/// The three sequences side by side.
private func zip3<A, B, C>(_ a: [A], _ b: [B], _ c: [C]) -> [(A, B, C)] {
    zip(a, zip(b, c)).map { ($0, $1.0, $1.1) }
}
